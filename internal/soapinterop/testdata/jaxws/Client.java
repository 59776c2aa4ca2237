import java.io.StringReader;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.ws.BindingProvider;
import javax.xml.ws.Holder;

import org.w3c.dom.Element;
import org.xml.sax.InputSource;

import ietf.params.xml.ns.netconf.base._1.CapabilitiesType;
import ietf.params.xml.ns.netconf.base._1.ConfigInlineType;
import ietf.params.xml.ns.netconf.base._1.DatastoreType;
import ietf.params.xml.ns.netconf.base._1.EditConfigType;
import ietf.params.xml.ns.netconf.base._1.EditTargetType;
import ietf.params.xml.ns.netconf.base._1.EmptyType;
import ietf.params.xml.ns.netconf.base._1.GetConfigType;
import ietf.params.xml.ns.netconf.base._1.RpcReplyType;
import ietf.params.xml.ns.netconf.base._1.RpcType;
import ietf.params.xml.ns.netconf.soap._1.Netconf;
import ietf.params.xml.ns.netconf.soap._1.NetconfPortType;

/**
 * Drives a running ncsoap server with the JAX-WS port wsimport generated
 * from the WSDL the server serves: hello, get-config, edit-config of
 * running, get-config again and close-session, to the address the WSDL
 * gives. Usage: Client USER PASSWORD. Prints key=value lines.
 */
public class Client {
    public static void main(String[] args) throws Exception {
        NetconfPortType port = new Netconf().getNetconfPort();
        Map<String, Object> ctx = ((BindingProvider) port).getRequestContext();
        ctx.put(BindingProvider.USERNAME_PROPERTY, args[0]);
        ctx.put(BindingProvider.PASSWORD_PROPERTY, args[1]);
        System.out.println("endpoint=" + ctx.get(BindingProvider.ENDPOINT_ADDRESS_PROPERTY));

        CapabilitiesType caps = new CapabilitiesType();
        caps.getCapability().add("urn:ietf:params:netconf:base:1.0");
        Holder<CapabilitiesType> capsHolder = new Holder<>(caps);
        Holder<Long> sessionId = new Holder<>();
        port.hello(capsHolder, sessionId);
        System.out.println("session-id=" + sessionId.value);
        System.out.println("capabilities=" + capsHolder.value.getCapability().size());

        RpcReplyType reply = port.rpc(getConfig("101"));
        System.out.println("message-id=" + reply.getMessageId());
        System.out.println("data=" + serialize(reply));

        EditTargetType target = new EditTargetType();
        target.setRunning(new EmptyType());
        ConfigInlineType config = new ConfigInlineType();
        config.getAny().add(parse("<system xmlns=\"http://ncsoap.dev/ns/example-users\"><hostname>jaxws-edited</hostname></system>"));
        EditConfigType edit = new EditConfigType();
        edit.setTarget(target);
        edit.setConfig(config);
        RpcType rpc = new RpcType();
        rpc.setMessageId("102");
        rpc.setEditConfig(edit);
        System.out.println("edit-config=" + (port.rpc(rpc).getOk() != null ? "ok" : "no"));

        System.out.println("verify=" + serialize(port.rpc(getConfig("103"))));

        RpcType close = new RpcType();
        close.setMessageId("104");
        close.setCloseSession(new EmptyType());
        System.out.println("close-session=" + (port.rpc(close).getOk() != null ? "ok" : "no"));
    }

    static RpcType getConfig(String id) {
        DatastoreType source = new DatastoreType();
        source.setRunning(new EmptyType());
        GetConfigType getConfig = new GetConfigType();
        getConfig.setSource(source);
        RpcType rpc = new RpcType();
        rpc.setMessageId(id);
        rpc.setGetConfig(getConfig);
        return rpc;
    }

    static Element parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
    }

    /** Returns the content of a reply's data element on one line. */
    static String serialize(RpcReplyType reply) throws Exception {
        StringBuilder b = new StringBuilder();
        for (Element e : reply.getData().getAny()) {
            StreamResult out = new StreamResult(new java.io.StringWriter());
            javax.xml.transform.Transformer tr = TransformerFactory.newInstance().newTransformer();
            tr.setOutputProperty(javax.xml.transform.OutputKeys.OMIT_XML_DECLARATION, "yes");
            tr.transform(new DOMSource(e), out);
            b.append(out.getWriter().toString().replace("\n", ""));
        }
        return b.toString();
    }
}
