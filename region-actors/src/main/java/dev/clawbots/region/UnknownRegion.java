package dev.clawbots.region;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** What answers for a region id that is not on the map: {@code not_found} to everything. */
final class UnknownRegion {

  private UnknownRegion() {}

  static Behavior<RegionCommand> create(String regionId) {
    RegionReply.Rejected notFound =
        new RegionReply.Rejected("not_found", "UNKNOWN_REGION", "there is no region " + regionId);
    return Behaviors.receive(RegionCommand.class)
        .onMessage(RegionCommand.Passivate.class, c -> Behaviors.stopped())
        .onAnyMessage(
            c -> {
              ActorRef<RegionReply> replyTo = replyTo(c);
              if (replyTo != null) {
                replyTo.tell(notFound);
              }
              return Behaviors.same();
            })
        .build();
  }

  private static ActorRef<RegionReply> replyTo(RegionCommand c) {
    if (c instanceof RegionCommand.Join j) {
      return j.replyTo();
    } else if (c instanceof RegionCommand.Leave l) {
      return l.replyTo();
    } else if (c instanceof RegionCommand.Move m) {
      return m.replyTo();
    } else if (c instanceof RegionCommand.Speak s) {
      return s.replyTo();
    } else if (c instanceof RegionCommand.Emote e) {
      return e.replyTo();
    } else if (c instanceof RegionCommand.Perceive p) {
      return p.replyTo();
    } else if (c instanceof RegionCommand.View v) {
      return v.replyTo();
    } else if (c instanceof RegionCommand.AcceptCrossing a) {
      return a.replyTo();
    }
    return null;
  }
}
