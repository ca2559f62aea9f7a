package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The names of the contract's keys and channels ({@code api.md}, "Redis channels and keys"). */
class RedisKeysTest {

  @Test
  void namesEveryKeyAndChannelAsTheContractDoes() {
    RedisKeys keys = RedisKeys.unprefixed();
    assertThat(keys.events("main")).isEqualTo("events:main");
    assertThat(keys.positions("main")).isEqualTo("positions:main");
    assertThat(keys.spectator("a1")).isEqualTo("spectator:a1");
    assertThat(keys.systemBroadcast()).isEqualTo("system:broadcast");
    assertThat(keys.session("a1")).isEqualTo("session:a1");
    assertThat(keys.pos("main", "a1")).isEqualTo("pos:main:a1");
    assertThat(keys.regionAgents("main")).isEqualTo("region:main:agents");
    assertThat(keys.ratelimit("a1", "move")).isEqualTo("ratelimit:a1:move");
    assertThat(keys.revoked("jti-1")).isEqualTo("revoked:jti-1");
    assertThat(keys.worldTick()).isEqualTo("world:tick");
  }

  @Test
  void putsThePrefixBeforeEveryName() {
    RedisKeys keys = new RedisKeys("cw:");
    assertThat(
            new String[] {
              keys.events("r"),
              keys.positions("r"),
              keys.spectator("a"),
              keys.systemBroadcast(),
              keys.session("a"),
              keys.pos("r", "a"),
              keys.regionAgents("r"),
              keys.ratelimit("a", "x"),
              keys.revoked("j"),
              keys.worldTick()
            })
        .allSatisfy(name -> assertThat(name).startsWith("cw:").doesNotStartWith("cw:cw:"));
  }

  @Test
  void refusesANullPrefix() {
    assertThatThrownBy(() -> new RedisKeys(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("prefix");
  }
}
