package dev.clawbots.opensim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XmlRpcTest {

  @Test
  void aCallCarriesOneStructOfStringsEscaped() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("password", "p<&>\"w");
    params.put("region_name", "ClawBots Main");
    String xml = XmlRpc.call("admin_get_agents", params);
    assertThat(xml)
        .contains("<methodName>admin_get_agents</methodName>")
        .contains(
            "<member><name>password</name><value><string>p&lt;&amp;&gt;&quot;w</string></value></member>");
    XmlRpc.Call back = XmlRpc.parseCall(xml);
    assertThat(back.method()).isEqualTo("admin_get_agents");
    assertThat(back.params()).isEqualTo(params);
  }

  @Test
  void readsRemoteAdminsAnswersAsOpenSimWritesThem() {
    String xml =
        """
        <?xml version="1.0"?>
        <methodResponse><params><param><value><struct>
          <member><name>success</name><value><boolean>1</boolean></value></member>
          <member><name>health</name><value><i4>0</i4></value></member>
          <member><name>version</name><value>OpenSim 0.9.3</value></member>
          <member><name>regions</name><value><array><data><value><struct>
            <member><name>name</name><value><string>ClawBots Main</string></value></member>
            <member><name>agents</name><value><array><data><value><struct>
              <member><name>pos_x</name><value><string>12.5</string></value></member>
              <member><name>is_flying</name><value><string>False</string></value></member>
            </struct></value></data></array></value></member>
          </struct></value></data></array></value></member>
        </struct></value></param></params></methodResponse>
        """;
    XmlRpc.Struct s = (XmlRpc.Struct) XmlRpc.parseResponse(xml.strip());
    assertThat(s.success()).isTrue();
    assertThat(s.fields().get("health")).isEqualTo(0);
    assertThat(s.text("version")).isEqualTo("OpenSim 0.9.3");
    @SuppressWarnings("unchecked")
    Map<String, Object> region = (Map<String, Object>) ((List<?>) s.fields().get("regions")).get(0);
    assertThat(region.get("agents"))
        .isEqualTo(List.of(Map.of("pos_x", "12.5", "is_flying", "False")));
  }

  @Test
  void readsAFault() {
    String xml = XmlRpc.response(new XmlRpc.Fault(-32601, "Requested method [admin_x] not found"));
    assertThat(XmlRpc.parseResponse(xml))
        .isEqualTo(new XmlRpc.Fault(-32601, "Requested method [admin_x] not found"));
  }

  @Test
  void refusesWhatIsNotAnAnswerAndNeverReadsADoctype() {
    assertThatThrownBy(() -> XmlRpc.parseResponse("<html>oops</html>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("methodResponse");
    assertThatThrownBy(() -> XmlRpc.parseResponse("not xml"))
        .isInstanceOf(IllegalArgumentException.class);
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<methodResponse><params><param><value><string>&x;</string></value></param>"
            + "</params></methodResponse>";
    assertThatThrownBy(() -> XmlRpc.parseResponse(xxe))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
