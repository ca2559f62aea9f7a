package dev.clawbots.persistence.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code --name value} or {@code --name=value} options; unknown names are an error. */
final class Options {

  private final Map<String, String> values = new HashMap<>();
  private final Set<String> read = new HashSet<>();

  static Options parse(String[] args, int from) {
    Options o = new Options();
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("expected --option, got " + a);
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      o.values.put(name, value);
    }
    return o;
  }

  String string(String name, String fallback) {
    read.add(name);
    return values.getOrDefault(name, fallback);
  }

  int integer(String name, int fallback) {
    return Integer.parseInt(string(name, Integer.toString(fallback)));
  }

  double decimal(String name, double fallback) {
    return Double.parseDouble(string(name, Double.toString(fallback)));
  }

  /** Fails on any option no scenario asked for: a typo must not silently run the defaults. */
  void rejectUnknown() {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(read);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown option(s) " + unknown + "; known here: " + new TreeSet<>(read));
    }
  }
}
