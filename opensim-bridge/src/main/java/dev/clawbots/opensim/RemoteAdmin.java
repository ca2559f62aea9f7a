package dev.clawbots.opensim;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The grid's RemoteAdmin, over XML-RPC: the authenticated ping ({@code admin_get_opensim_version})
 * and the read-back of NPC positions ({@code admin_get_agents}). Every call carries the password,
 * and every parameter goes as a string, as RemoteAdmin expects. Its answers are told apart as
 * {@code opensim.md} says: a refused connection or a timeout is the grid down; a wrong password or
 * fault -32601 is our configuration.
 */
final class RemoteAdmin {

  /** One avatar or NPC of a region, as {@code admin_get_agents} lists it. */
  record Listed(String name, String id, boolean npc, double x, double y, double z) {}

  private final GridTransport transport;
  private final URI url;
  private final String password;
  private final Duration timeout;

  RemoteAdmin(GridTransport transport, URI url, String password, Duration timeout) {
    this.transport = transport;
    this.url = url;
    this.password = password;
    this.timeout = timeout;
  }

  /** The grid's version string: the ping that also proves the password. */
  CompletableFuture<GridReply<String>> version() {
    return call("admin_get_opensim_version", Map.of())
        .thenApply(
            r ->
                r instanceof GridReply.Ok<XmlRpc.Struct> ok
                    ? new GridReply.Ok<>(String.valueOf(ok.value().text("version")))
                    : new GridReply.Failed<>(((GridReply.Failed<XmlRpc.Struct>) r).failure()));
  }

  /**
   * The region's health as {@code admin_region_query} gives it; 0 for a region the simulator does
   * not have (it still answers success).
   */
  CompletableFuture<GridReply<Integer>> regionHealth(String regionName) {
    return call("admin_region_query", Map.of("region_name", regionName))
        .thenApply(
            r -> {
              if (r instanceof GridReply.Failed<XmlRpc.Struct> f) {
                return new GridReply.Failed<>(f.failure());
              }
              Object health = ((GridReply.Ok<XmlRpc.Struct>) r).value().fields().get("health");
              try {
                return new GridReply.Ok<>(
                    health instanceof Number n
                        ? n.intValue()
                        : Integer.parseInt(String.valueOf(health).trim()));
              } catch (NumberFormatException e) {
                return new GridReply.Failed<>(
                    new GridFailure.Unexpected("admin_region_query answered health " + health));
              }
            });
  }

  /** The avatars and NPCs in the region named {@code regionName}. */
  CompletableFuture<GridReply<List<Listed>>> agents(String regionName) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("region_name", regionName);
    params.put("include_children", "false");
    return call("admin_get_agents", params)
        .thenApply(
            r -> {
              if (r instanceof GridReply.Failed<XmlRpc.Struct> f) {
                return new GridReply.Failed<>(f.failure());
              }
              try {
                return new GridReply.Ok<>(
                    listed(((GridReply.Ok<XmlRpc.Struct>) r).value(), regionName));
              } catch (RuntimeException e) {
                return new GridReply.Failed<>(
                    new GridFailure.Unexpected("admin_get_agents answered oddly: " + e));
              }
            });
  }

  private static List<Listed> listed(XmlRpc.Struct answer, String regionName) {
    List<Listed> out = new ArrayList<>();
    Object regions = answer.fields().get("regions");
    if (!(regions instanceof List<?> list)) {
      return out;
    }
    for (Object region : list) {
      if (!(region instanceof Map<?, ?> r) || !regionName.equals(String.valueOf(r.get("name")))) {
        continue;
      }
      Object agents = r.get("agents");
      if (!(agents instanceof List<?> as)) {
        continue;
      }
      for (Object agent : as) {
        if (agent instanceof Map<?, ?> a) {
          // Every field is a string, as RemoteAdmin writes them; a number is tolerated too.
          out.add(
              new Listed(
                  String.valueOf(a.get("name")),
                  String.valueOf(a.get("id")),
                  "npc".equals(String.valueOf(a.get("type")).toLowerCase(Locale.ROOT)),
                  number(a.get("pos_x")),
                  number(a.get("pos_y")),
                  number(a.get("pos_z"))));
        }
      }
    }
    return out;
  }

  private static double number(Object v) {
    return v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
  }

  private CompletableFuture<GridReply<XmlRpc.Struct>> call(
      String method, Map<String, Object> params) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("password", password);
    all.putAll(params);
    String body = XmlRpc.call(method, all);
    return transport
        .post(url, "text/xml", Map.of(), body, timeout)
        .handle(
            (answer, error) ->
                error != null
                    ? new GridReply.Failed<XmlRpc.Struct>(GridFailure.of(error))
                    : judge(method, answer));
  }

  private GridReply<XmlRpc.Struct> judge(String method, GridTransport.Answer answer) {
    if (answer.status() >= 500) {
      return new GridReply.Failed<>(
          new GridFailure.Down("RemoteAdmin answered HTTP " + answer.status()));
    }
    if (answer.status() != 200) {
      return new GridReply.Failed<>(
          new GridFailure.Misconfigured(
              "RemoteAdmin at "
                  + url
                  + " answered HTTP "
                  + answer.status()
                  + ": is [RemoteAdmin] enabled, on this port, and is the path /?"));
    }
    XmlRpc.Answer parsed;
    try {
      parsed = XmlRpc.parseResponse(answer.body());
    } catch (IllegalArgumentException e) {
      return new GridReply.Failed<>(
          new GridFailure.Unexpected("RemoteAdmin answered something else: " + e.getMessage()));
    }
    if (parsed instanceof XmlRpc.Fault f) {
      if (f.code() == -32601) {
        return new GridReply.Failed<>(
            new GridFailure.Misconfigured(
                "RemoteAdmin does not offer "
                    + method
                    + " (fault -32601 \""
                    + f.message()
                    + "\"): set [RemoteAdmin] enabled = true and name it in enabled_methods"));
      }
      return new GridReply.Failed<>(
          new GridFailure.Unexpected("RemoteAdmin fault " + f.code() + ": " + f.message()));
    }
    XmlRpc.Struct struct = (XmlRpc.Struct) parsed;
    if (struct.success()) {
      return new GridReply.Ok<>(struct);
    }
    String error = String.valueOf(struct.text("error"));
    String lower = error.toLowerCase(Locale.ROOT);
    if (lower.contains("wrong password")) {
      return new GridReply.Failed<>(
          new GridFailure.Misconfigured(
              "RemoteAdmin refused the password (\""
                  + error
                  + "\"): OPENSIM_PASSWORD must equal [RemoteAdmin] access_password"));
    }
    if (lower.contains("not authorized") || lower.contains("missing string parameter")) {
      return new GridReply.Failed<>(
          new GridFailure.Misconfigured(
              "RemoteAdmin refused the call (\""
                  + error
                  + "\"): check [RemoteAdmin] access_password and access_ip_addresses"));
    }
    return new GridReply.Failed<>(new GridFailure.Unexpected(method + ": " + error));
  }
}
