package dev.clawbots.opensim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The part of XML-RPC that RemoteAdmin speaks: a {@code methodCall} with one struct parameter, and
 * a {@code methodResponse} holding either one value or a {@code fault}. Values are strings,
 * integers ({@code i4}/{@code int}), booleans, doubles, structs and arrays. Parsing refuses DTDs,
 * so a hostile answer cannot make the parser read files or expand entities.
 */
final class XmlRpc {

  private XmlRpc() {}

  /** A decoded {@code methodResponse}. */
  sealed interface Answer {}

  /** A normal answer: RemoteAdmin always answers a struct. */
  record Struct(Map<String, Object> fields) implements Answer {
    String text(String name) {
      Object v = fields.get(name);
      return v == null ? null : v.toString();
    }

    boolean success() {
      Object v = fields.get("success");
      return Boolean.TRUE.equals(v) || "true".equalsIgnoreCase(String.valueOf(v));
    }
  }

  /** An XML-RPC fault, such as -32601 for a method that is not enabled. */
  record Fault(int code, String message) implements Answer {}

  /** A {@code methodCall} of {@code method} with {@code params} as its one struct parameter. */
  static String call(String method, Map<String, ?> params) {
    StringBuilder xml = new StringBuilder(256);
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodCall><methodName>")
        .append(escape(method))
        .append("</methodName><params><param>");
    value(xml, params);
    xml.append("</param></params></methodCall>");
    return xml.toString();
  }

  /** A {@code methodResponse} holding {@code answer}; the fake grid answers with it. */
  static String response(Answer answer) {
    StringBuilder xml = new StringBuilder(256);
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodResponse>");
    if (answer instanceof Fault f) {
      xml.append("<fault>");
      value(xml, Map.of("faultCode", f.code(), "faultString", f.message()));
      xml.append("</fault>");
    } else {
      xml.append("<params><param>");
      value(xml, ((Struct) answer).fields());
      xml.append("</param></params>");
    }
    return xml.append("</methodResponse>").toString();
  }

  private static void value(StringBuilder xml, Object v) {
    xml.append("<value>");
    if (v instanceof Boolean b) {
      xml.append("<boolean>").append(b ? 1 : 0).append("</boolean>");
    } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      xml.append("<i4>").append(v).append("</i4>");
    } else if (v instanceof Number n) {
      xml.append("<double>").append(n.doubleValue()).append("</double>");
    } else if (v instanceof Map<?, ?> m) {
      xml.append("<struct>");
      for (Map.Entry<?, ?> e : m.entrySet()) {
        xml.append("<member><name>").append(escape(e.getKey().toString())).append("</name>");
        value(xml, e.getValue());
        xml.append("</member>");
      }
      xml.append("</struct>");
    } else if (v instanceof List<?> l) {
      xml.append("<array><data>");
      for (Object o : l) {
        value(xml, o);
      }
      xml.append("</data></array>");
    } else {
      xml.append("<string>").append(escape(String.valueOf(v))).append("</string>");
    }
    xml.append("</value>");
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Decodes a {@code methodResponse}; an {@link IllegalArgumentException} when it is not one. */
  static Answer parseResponse(String body) {
    Element root = parse(body).getDocumentElement();
    if (!root.getTagName().equals("methodResponse")) {
      throw new IllegalArgumentException("not an XML-RPC methodResponse: <" + root.getTagName());
    }
    Element fault = child(root, "fault");
    if (fault != null) {
      Object v = decode(required(fault, "value"));
      if (!(v instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("a fault without a struct");
      }
      Object code = m.get("faultCode");
      return new Fault(
          code instanceof Integer i ? i : Integer.parseInt(String.valueOf(code).trim()),
          String.valueOf(m.get("faultString")));
    }
    Element value = required(required(required(root, "params"), "param"), "value");
    Object v = decode(value);
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("an answer that is not a struct: " + v);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) m;
    return new Struct(fields);
  }

  /** A decoded {@code methodCall}: its method and its struct parameter (the fake grid's side). */
  record Call(String method, Map<String, Object> params) {}

  static Call parseCall(String body) {
    Element root = parse(body).getDocumentElement();
    if (!root.getTagName().equals("methodCall")) {
      throw new IllegalArgumentException("not an XML-RPC methodCall");
    }
    String method = required(root, "methodName").getTextContent().trim();
    Element params = child(root, "params");
    Map<String, Object> fields = new LinkedHashMap<>();
    if (params != null && child(params, "param") != null) {
      Object v = decode(required(child(params, "param"), "value"));
      if (v instanceof Map<?, ?> m) {
        m.forEach((k, val) -> fields.put(k.toString(), val));
      }
    }
    return new Call(method, fields);
  }

  private static Object decode(Element value) {
    Element typed = firstElement(value);
    if (typed == null) {
      // <value>text</value> without a type is a string.
      return value.getTextContent();
    }
    String text = typed.getTextContent();
    switch (typed.getTagName()) {
      case "string":
        return text;
      case "i4":
      case "int":
        return Integer.parseInt(text.trim());
      case "i8":
        return Long.parseLong(text.trim());
      case "boolean":
        return text.trim().equals("1");
      case "double":
        return Double.parseDouble(text.trim());
      case "dateTime.iso8601":
      case "base64":
        return text.trim();
      case "struct":
        Map<String, Object> m = new LinkedHashMap<>();
        for (Node n = typed.getFirstChild(); n != null; n = n.getNextSibling()) {
          if (n instanceof Element member && member.getTagName().equals("member")) {
            m.put(required(member, "name").getTextContent(), decode(required(member, "value")));
          }
        }
        return m;
      case "array":
        List<Object> l = new ArrayList<>();
        Element data = required(typed, "data");
        for (Node n = data.getFirstChild(); n != null; n = n.getNextSibling()) {
          if (n instanceof Element e && e.getTagName().equals("value")) {
            l.add(decode(e));
          }
        }
        return l;
      case "nil":
        return null;
      default:
        throw new IllegalArgumentException("unknown XML-RPC type <" + typed.getTagName() + ">");
    }
  }

  private static Document parse(String body) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      return b.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
    }
  }

  private static Element child(Element parent, String tag) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return e;
      }
    }
    return null;
  }

  private static Element required(Element parent, String tag) {
    Element e = child(parent, tag);
    if (e == null) {
      throw new IllegalArgumentException("<" + parent.getTagName() + "> without <" + tag + ">");
    }
    return e;
  }

  private static Element firstElement(Element parent) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        return e;
      }
    }
    return null;
  }
}
