// Builds a typed get-config rpc with the classes gSOAP generated from the
// ncsoap WSDL and writes it to standard output.
#include "soapnetconfBindingProxy.h"
#include "netconfBinding.nsmap"

int main() {
    netconfBindingProxy proxy;
    struct soap *soap = proxy.soap;
    soap_set_omode(soap, SOAP_XML_CANONICAL);

    netb__datastoreType source;
    source.__union_datastoreType = SOAP_UNION__netb__union_datastoreType_running;
    source.union_datastoreType.running = soap_new_netb__emptyType(soap);

    netb__getConfigType getConfig;
    getConfig.source = &source;

    netb__rpcType rpc;
    rpc.message_id = "101";
    rpc.__union_rpcType = SOAP_UNION__netb__union_rpcType_get_config;
    rpc.union_rpcType.get_config = &getConfig;

    if (soap_begin_send(soap) || rpc.soap_put(soap, "netb:rpc", NULL) || soap_end_send(soap)) {
        soap_print_fault(soap, stderr);
        return 1;
    }
    return 0;
}
