package dev.clawbots.load;

import io.gatling.javaapi.core.Simulation;

/**
 * {@code -Dagents} agents over {@code -Dregions} regions, ramped in over {@code -Dramp} seconds and
 * then acting for {@code -Dduration} seconds. Fails when an action's p99 ack latency, the error
 * rate or the speak-to-heard p99 is past its bound ({@link LoadSettings}).
 */
public class AgentsSimulation extends Simulation {

  private final Populations run = new Populations();

  {
    setUp(run.agents()).protocols(run.protocol()).assertions(run.assertions());
  }

  @Override
  public void before() {
    run.started();
  }

  @Override
  public void after() {
    run.finish("agents");
  }
}
