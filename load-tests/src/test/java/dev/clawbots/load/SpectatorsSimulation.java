package dev.clawbots.load;

import io.gatling.javaapi.core.Simulation;

/**
 * {@code -Dspectators} spectators following random agents that are online (or watching regions,
 * {@code -Dspectator.mode=follow|watch|mixed}) in the first {@code -Dregions} regions, for {@code
 * -Dduration} seconds. The agents are whoever the server has: run it beside an agents simulation,
 * or use {@link MixedSimulation}.
 */
public class SpectatorsSimulation extends Simulation {

  private final Populations run = new Populations();

  {
    setUp(run.spectators()).protocols(run.protocol()).assertions(run.assertions());
  }

  @Override
  public void before() {
    run.started();
  }

  @Override
  public void after() {
    run.finish("spectators");
  }
}
