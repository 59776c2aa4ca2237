// Drives a running ncsoap server with the C++ proxy gSOAP generated from
// the WSDL the server serves: hello, get-config and close-session over one
// keep-alive connection, to the endpoint address found in the WSDL.
//
// Usage: client USER PASSWORD. Prints key=value lines.
#include <cstdio>

#include "soapnetconfBindingProxy.h"
#include "netconfBinding.nsmap"

static const char *user, *password;

// authenticate sets the Basic credentials for the next call.
static void authenticate(struct soap *soap) {
    soap->userid = user;
    soap->passwd = password;
}

// call runs one rpc and checks that gSOAP kept the connection open.
static int call(netconfBindingProxy &proxy, netb__rpcType &rpc, netb__rpcReplyType &reply) {
    authenticate(proxy.soap);
    if (proxy.rpc(&rpc, reply) != SOAP_OK) {
        soap_print_fault(proxy.soap, stderr);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: client USER PASSWORD\n");
        return 2;
    }
    user = argv[1];
    password = argv[2];
    netconfBindingProxy proxy(SOAP_IO_KEEPALIVE);
    struct soap *soap = proxy.soap;

    netb__capabilitiesType caps;
    caps.capability.push_back("urn:ietf:params:netconf:base:1.0");
    netb__helloType hello;
    hello.capabilities = &caps;
    __nets__helloResponse serverHello;
    authenticate(soap);
    if (proxy.hello(&hello, serverHello) != SOAP_OK) {
        soap_print_fault(soap, stderr);
        return 1;
    }
    if (serverHello.netb__hello == NULL || serverHello.netb__hello->session_id == NULL) {
        fprintf(stderr, "server hello without session-id\n");
        return 1;
    }
    printf("endpoint=%s\n", proxy.soap_endpoint);
    printf("session-id=%u\n", *serverHello.netb__hello->session_id);
    printf("capabilities=%zu\n", serverHello.netb__hello->capabilities->capability.size());

    netb__datastoreType source;
    source.__union_datastoreType = SOAP_UNION__netb__union_datastoreType_running;
    source.union_datastoreType.running = soap_new_netb__emptyType(soap);
    netb__getConfigType getConfig;
    getConfig.source = &source;
    netb__rpcType rpc;
    rpc.message_id = "101";
    rpc.__union_rpcType = SOAP_UNION__netb__union_rpcType_get_config;
    rpc.union_rpcType.get_config = &getConfig;
    netb__rpcReplyType reply;
    if (call(proxy, rpc, reply))
        return 1;
    printf("message-id=%s\n", reply.message_id ? reply.message_id->c_str() : "");
    if (reply.__union_rpcReplyType != SOAP_UNION__netb__union_rpcReplyType_data) {
        fprintf(stderr, "get-config reply without data\n");
        return 1;
    }
    for (char *el : reply.union_rpcReplyType.data->__any)
        printf("data=%s\n", el);

    netb__rpcType closeSession;
    closeSession.message_id = "102";
    closeSession.__union_rpcType = SOAP_UNION__netb__union_rpcType_close_session;
    closeSession.union_rpcType.close_session = soap_new_netb__emptyType(soap);
    netb__rpcReplyType closed;
    if (call(proxy, closeSession, closed))
        return 1;
    printf("close-session=%s\n", closed.__union_rpcReplyType == SOAP_UNION__netb__union_rpcReplyType_ok ? "ok" : "no");
    return 0;
}
