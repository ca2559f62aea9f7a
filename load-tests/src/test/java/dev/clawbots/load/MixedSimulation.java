package dev.clawbots.load;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;

/**
 * Agents and spectators together: the agents ramp in slowly over {@code -Dramp} seconds, the
 * spectators over its second half, then a plateau of {@code -Dduration} seconds during which {@code
 * -Dchurn.per.second} new agents arrive each second and each leaves after {@code -Dchurn.lifetime}
 * seconds.
 */
public class MixedSimulation extends Simulation {

  private final Populations run = new Populations();

  {
    List<PopulationBuilder> everyone = new ArrayList<>(run.agents());
    everyone.addAll(run.spectators());
    setUp(everyone).protocols(run.protocol()).assertions(run.assertions());
  }

  @Override
  public void before() {
    run.started();
  }

  @Override
  public void after() {
    run.finish("mixed");
  }
}
