import javax.xml.bind.JAXBContext;
import javax.xml.bind.JAXBElement;
import javax.xml.bind.Marshaller;
import javax.xml.namespace.QName;

import ietf.params.xml.ns.netconf.base._1.CapabilitiesType;
import ietf.params.xml.ns.netconf.base._1.DatastoreType;
import ietf.params.xml.ns.netconf.base._1.EmptyType;
import ietf.params.xml.ns.netconf.base._1.GetConfigType;
import ietf.params.xml.ns.netconf.base._1.HelloType;
import ietf.params.xml.ns.netconf.base._1.ObjectFactory;
import ietf.params.xml.ns.netconf.base._1.RpcType;
import ietf.params.xml.ns.netconf.soap._1.Netconf;
import ietf.params.xml.ns.netconf.soap._1.NetconfPortType;

/** Builds typed hello and get-config messages from the wsimport classes and prints them. */
public class Smoke {
    public static void main(String[] args) throws Exception {
        ObjectFactory f = new ObjectFactory();
        HelloType hello = f.createHelloType();
        CapabilitiesType caps = f.createCapabilitiesType();
        caps.getCapability().add("urn:ietf:params:netconf:base:1.0");
        hello.setCapabilities(caps);

        DatastoreType source = f.createDatastoreType();
        source.setRunning(f.createEmptyType());
        GetConfigType getConfig = f.createGetConfigType();
        getConfig.setSource(source);
        RpcType rpc = f.createRpcType();
        rpc.setMessageId("101");
        rpc.setGetConfig(getConfig);

        JAXBContext ctx = JAXBContext.newInstance(RpcType.class, HelloType.class);
        Marshaller m = ctx.createMarshaller();
        m.setProperty(Marshaller.JAXB_FRAGMENT, Boolean.TRUE);
        m.marshal(f.createHello(hello), System.out);
        System.out.println();
        m.marshal(f.createRpc(rpc), System.out);
        System.out.println();
        Class<?> port = NetconfPortType.class;
        System.out.println(port.getMethod("rpc", RpcType.class).getReturnType().getSimpleName());
        System.out.println(Netconf.class.getSimpleName());
    }
}
