package dev.clawbots.persistence.bench;

import java.util.Locale;

/** Results: one line per figure, easy to grep ({@code RESULT}), and comment lines ({@code #}). */
final class Report {

  private Report() {}

  static void figure(String label, String name, double value, String unit, String note) {
    System.out.printf(
        Locale.ROOT, "RESULT %s %s = %s %s  (%s)%n", label, name, f(value), unit, note);
    System.out.flush();
  }

  static void line(String label, String text) {
    System.out.println("# " + label + ": " + text);
    System.out.flush();
  }

  static String f(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) v);
    }
    return Math.abs(v) >= 100
        ? String.format(Locale.ROOT, "%.1f", v)
        : String.format(Locale.ROOT, "%.3f", v);
  }
}
