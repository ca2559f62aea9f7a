package dev.clawbots.world.demo;

import dev.clawbots.world.Crossing;
import dev.clawbots.world.Decision;
import dev.clawbots.world.Edge;
import dev.clawbots.world.GridCoord;
import dev.clawbots.world.Happening;
import dev.clawbots.world.Permission;
import dev.clawbots.world.RegionSimulation;
import dev.clawbots.world.RegionSpec;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.WorldClock;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A small world run by the engine alone, in real time: two neighbouring regions, a few agents who
 * wander, cross between the regions and chat. It prints each agent's position once a second and
 * everything that happens as it happens. Until the gateway exists, this is what the server runs.
 *
 * <p>Arguments: {@code --ticks N} stops after N ticks (default: run until interrupted); {@code
 * --agents N} sets the number of agents (default 6); {@code --seed N} picks another story.
 */
public final class WorldDemo {

  private static final String[] LINES = {
    "hello there", "anyone seen the east region?", "nice weather", "heading out", "wait for me"
  };

  /** Waits until the clock reaches a tick: real sleep when run, a manual clock in tests. */
  @FunctionalInterface
  interface Wait {
    void forDuration(Duration d) throws InterruptedException;
  }

  private final WorldClock clock;
  private final PrintStream out;
  private final Map<String, RegionSimulation> regions = new LinkedHashMap<>();
  private final Random random;

  WorldDemo(WorldClock clock, long seed, PrintStream out) {
    this.clock = clock;
    this.out = out;
    this.random = new Random(seed);
    long now = clock.currentTick();
    add(
        new RegionSpec(
            "main", "Main", new GridCoord(0, 0), Set.of(Edge.EAST), RegionSpec.DEFAULT_SPAWN),
        now);
    add(
        new RegionSpec(
            "east", "East", new GridCoord(1, 0), Set.of(Edge.WEST), RegionSpec.DEFAULT_SPAWN),
        now);
  }

  public static void main(String[] args) throws InterruptedException {
    long ticks = Long.MAX_VALUE;
    int agents = 6;
    long seed = 7;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--ticks" -> ticks = Long.parseLong(args[i + 1]);
        case "--agents" -> agents = Integer.parseInt(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    new WorldDemo(WorldClock.system(), seed, System.out)
        .run(agents, ticks, d -> Thread.sleep(d.toMillis()));
  }

  private void add(RegionSpec spec, long tick) {
    regions.put(spec.id(), new RegionSimulation(spec, clock, tick));
  }

  Map<String, RegionSimulation> regions() {
    return regions;
  }

  void run(int agents, long ticks, Wait wait) throws InterruptedException {
    RegionSimulation main = regions.get("main");
    for (int i = 1; i <= agents; i++) {
      main.apply(new Decision.Join("agent-" + i, "Agent " + i, null, Permission.DEFAULTS));
      wander(main, "agent-" + i);
    }
    out.printf(
        "ClawBots World engine demo: %d agents in regions %s, one tick every %d ms%n",
        agents, regions.keySet(), clock.tickInterval().toMillis());
    long start = main.tick();
    long ticksPerSecond = Math.max(1, 1000 / clock.tickInterval().toMillis());
    long end = ticks > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + ticks;
    for (long t = start + 1; t <= end; t++) {
      wait.forDuration(clock.untilTick(t));
      List<Crossing> crossings = new ArrayList<>();
      for (RegionSimulation r : regions.values()) {
        TickReport report = r.advanceTo(t);
        for (Happening h : report.happenings()) {
          print(r, h);
          if (h instanceof Happening.CrossedOut out) {
            crossings.add(out.crossing());
          } else if (h instanceof Happening.Arrived) {
            afterArrival(r, h.agentId());
          }
        }
      }
      for (Crossing c : crossings) {
        RegionSimulation to = neighbour(c.edge());
        print(to, accepted(to.apply(new Decision.CrossIn(c))));
      }
      if ((t - start) % ticksPerSecond == 0) {
        printPositions(t);
      }
    }
  }

  private RegionSimulation neighbour(Edge edge) {
    return edge == Edge.EAST ? regions.get("east") : regions.get("main");
  }

  private void afterArrival(RegionSimulation region, String agentId) {
    if (random.nextInt(3) == 0) {
      String line = LINES[random.nextInt(LINES.length)];
      print(region, accepted(region.apply(new Decision.Speak(agentId, line, null, null))));
    }
    wander(region, agentId);
  }

  private void wander(RegionSimulation region, String agentId) {
    Vec3 here = region.agent(agentId).orElseThrow().position();
    // Mostly short strolls; now and then a long walk that may cross into the other region.
    double reach = random.nextInt(4) == 0 ? 200 : 30;
    Vec3 to =
        new Vec3(
            clampTarget(here.x() + (random.nextDouble() * 2 - 1) * reach),
            clampTarget(here.y() + (random.nextDouble() * 2 - 1) * 30),
            here.z());
    region.apply(new Decision.Move(agentId, to, 1.5 + random.nextDouble() * 3));
  }

  private static double clampTarget(double v) {
    return Math.max(-200, Math.min(450, v));
  }

  private static Happening accepted(dev.clawbots.world.Outcome<Happening> outcome) {
    if (outcome instanceof dev.clawbots.world.Outcome.Accepted<Happening> a) {
      return a.value();
    }
    throw new IllegalStateException("the demo made a decision the engine refused: " + outcome);
  }

  private void print(RegionSimulation region, Happening h) {
    String what;
    if (h instanceof Happening.Spoke s) {
      what = "says \"" + s.text() + "\", heard by " + s.hearers();
    } else if (h instanceof Happening.Arrived a) {
      what = "arrives at " + format(a.position());
    } else if (h instanceof Happening.CrossedOut c) {
      what =
          "crosses " + c.crossing().edge().name().toLowerCase(Locale.ROOT) + " out of the region";
    } else if (h instanceof Happening.CrossedIn c) {
      what = "enters at " + format(c.crossing().entry());
    } else {
      what = h.getClass().getSimpleName();
    }
    out.printf("tick %d  %-5s %s %s%n", h.tick(), region.spec().id(), h.agentId(), what);
  }

  private void printPositions(long tick) {
    RegionSimulation main = regions.get("main");
    var time = main.timeOfDay();
    var weather = main.weather();
    out.printf(
        "tick %d  %02d:%02d %s, %s %.1f C, wind %.1f m/s%n",
        tick,
        time.hour(),
        time.minute(),
        time.dayNight().wireName(),
        weather.kind().wireName(),
        weather.temperatureC(),
        weather.windSpeedMps());
    for (RegionSimulation r : regions.values()) {
      for (var a : r.agents()) {
        out.printf(
            "    %-5s %-8s at %s%s%n",
            r.spec().id(),
            a.agentId(),
            format(a.position()),
            a.movingTo() == null ? "" : " walking to " + format(a.movingTo()));
      }
    }
  }

  private static String format(Vec3 v) {
    return String.format(Locale.ROOT, "(%.1f, %.1f, %.1f)", v.x(), v.y(), v.z());
  }
}
