package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Vec3;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClientMessagesTest {

  @Test
  void readsEveryKindWithItsOptionalFields() {
    ClientMessage.Join join =
        (ClientMessage.Join)
            ClientMessages.parse(
                "{\"type\":\"join\",\"id\":\"j1\",\"region_id\":\"harbor\","
                    + "\"position\":{\"x\":1,\"y\":2.5,\"z\":21},\"resume_after_seq\":42,"
                    + "\"perception_hz\":0}");
    assertThat(join.id().asText()).isEqualTo("j1");
    assertThat(join.regionId()).contains("harbor");
    assertThat(join.position()).contains(new Vec3(1, 2.5, 21));
    assertThat(join.resumeAfterSeq()).hasValue(42);
    assertThat(join.perceptionHz()).hasValue(0);

    ClientMessage.Join bare = (ClientMessage.Join) ClientMessages.parse("{\"type\":\"join\"}");
    assertThat(bare.id()).isNull();
    assertThat(bare.regionId()).isEmpty();
    assertThat(bare.resumeAfterSeq()).isEmpty();

    ClientMessage.Move move =
        (ClientMessage.Move)
            ClientMessages.parse(
                "{\"type\":\"move\",\"id\":7,\"to\":{\"x\":10,\"y\":20,\"z\":21}}");
    assertThat(move.id().asLong()).isEqualTo(7);
    assertThat(move.to()).isEqualTo(new Vec3(10, 20, 21));
    assertThat(move.speed()).isEmpty();

    ClientMessage.Speak speak =
        (ClientMessage.Speak)
            ClientMessages.parse(
                "{\"type\":\"speak\",\"text\":\"psst\",\"volume\":\"whisper\",\"to\":\"b2\"}");
    assertThat(speak.volume()).isEqualTo(ChatRange.WHISPER);
    assertThat(speak.to()).contains("b2");
    assertThat(
            ((ClientMessage.Speak) ClientMessages.parse("{\"type\":\"speak\",\"text\":\"hi\"}"))
                .volume())
        .isEqualTo(ChatRange.NORMAL);

    assertThat(ClientMessages.parse("{\"type\":\"emote\",\"emote\":\"wave\"}"))
        .isInstanceOf(ClientMessage.Emote.class);
    assertThat(ClientMessages.parse("{\"type\":\"leave\"}"))
        .isInstanceOf(ClientMessage.Leave.class);
    assertThat(ClientMessages.parse("{\"type\":\"perceive\"}"))
        .isInstanceOf(ClientMessage.Perceive.class);
    assertThat(ClientMessages.parse("{\"type\":\"ping\",\"id\":\"p\"}"))
        .isInstanceOf(ClientMessage.Ping.class);
  }

  @Test
  void everyBadMessageIsABadRequestNamingWhatIsWrong() {
    assertBad("not json", null, "not valid JSON");
    assertBad("", null, "JSON object");
    assertBad("[]", null, "JSON object");
    assertBad("{\"type\":\"ping\"} {}", null, "not valid JSON");
    assertBad("{}", null, "type is required");
    assertBad("{\"type\": 3}", null, "type must be a string");
    assertBad("{\"type\":\"fly\",\"id\":\"f\"}", "f", "unknown type 'fly'");
    assertBad("{\"type\":\"move\",\"id\":1}", "1", "to is required");
    assertBad("{\"type\":\"move\",\"to\":[1,2,3]}", null, "to must be an object");
    assertBad("{\"type\":\"move\",\"to\":{\"x\":1,\"y\":2}}", null, "to.z is required");
    assertBad(
        "{\"type\":\"move\",\"to\":{\"x\":\"1\",\"y\":2,\"z\":3}}", null, "to.x must be a number");
    assertBad("{\"type\":\"move\",\"to\":{\"x\":1e999,\"y\":2,\"z\":3}}", null, "finite");
    assertBad("{\"type\":\"move\",\"to\":{\"x\":NaN,\"y\":2,\"z\":3}}", null, "not valid JSON");
    assertBad(
        "{\"type\":\"move\",\"to\":{\"x\":1,\"y\":2,\"z\":3},\"speed\":\"fast\"}",
        null,
        "speed must be a number");
    assertBad("{\"type\":\"speak\"}", null, "text is required");
    assertBad("{\"type\":\"speak\",\"text\":\"\"}", null, "text must not be empty");
    // 400 three-byte characters: 1,200 UTF-8 bytes, over the contract's 1,024.
    assertBad(
        "{\"type\":\"speak\",\"text\":\"" + "€".repeat(400) + "\"}", null, "1200 UTF-8 bytes");
    assertBad("{\"type\":\"speak\",\"text\":\"hi\",\"volume\":\"sing\"}", null, "volume must be");
    assertBad("{\"type\":\"speak\",\"text\":\"hi\",\"to\":5}", null, "to must be a string");
    assertBad("{\"type\":\"emote\",\"emote\":\"" + "x".repeat(257) + "\"}", null, "more than 256");
    assertBad("{\"type\":\"join\",\"region_id\":\"Main Street\"}", null, "region_id must match");
    assertBad("{\"type\":\"join\",\"perception_hz\":6}", null, "perception_hz");
    assertBad("{\"type\":\"join\",\"perception_hz\":1.5}", null, "perception_hz");
    assertBad("{\"type\":\"join\",\"resume_after_seq\":-1}", null, "resume_after_seq");
    assertBad("{\"type\":\"ping\",\"id\":{\"a\":1}}", null, "id must be");
    assertBad("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", null, "not valid JSON");
  }

  @Test
  void aHundredThousandRandomAndMutatedMessagesAreReadOrRefusedNeverThrownOtherwise() {
    String[] valid = {
      "{\"type\":\"join\",\"id\":1,\"region_id\":\"main\",\"position\":{\"x\":1,\"y\":2,\"z\":3}}",
      "{\"type\":\"move\",\"id\":\"m\",\"to\":{\"x\":10,\"y\":20,\"z\":21},\"speed\":2.5}",
      "{\"type\":\"speak\",\"text\":\"hello there\",\"volume\":\"shout\",\"to\":\"b\"}",
      "{\"type\":\"emote\",\"emote\":\"dance\"}",
      "{\"type\":\"perceive\"}",
      "{\"type\":\"ping\",\"id\":99}",
      "{\"type\":\"leave\"}"
    };
    Random random = new Random(20261122);
    int read = 0;
    int refused = 0;
    for (int i = 0; i < 100_000; i++) {
      String frame =
          i % 4 == 0 ? randomText(random) : mutate(valid[random.nextInt(valid.length)], random);
      try {
        assertThat(ClientMessages.parse(frame)).isNotNull();
        read++;
      } catch (ClientMessages.Unreadable expected) {
        assertThat(expected.error().code()).isEqualTo("bad_request");
        assertThat(expected.error().message()).isNotBlank();
        refused++;
      }
    }
    assertThat(read).isPositive();
    assertThat(refused).isPositive();
    for (String v : valid) {
      assertThat(ClientMessages.parse(v)).isNotNull();
    }
  }

  private static void assertBad(String text, String id, String messagePart) {
    ClientMessages.Unreadable bad =
        catchThrowableOfType(ClientMessages.Unreadable.class, () -> ClientMessages.parse(text));
    assertThat(bad).as(text).isNotNull();
    assertThat(bad.error().code()).isEqualTo("bad_request");
    assertThat(bad.error().message()).as(text).contains(messagePart);
    if (id == null) {
      assertThat(bad.id()).as(text).isNull();
    } else {
      assertThat(bad.id().asText()).isEqualTo(id);
    }
  }

  private static String randomText(Random random) {
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(80);
    for (int i = 0; i < n; i++) {
      b.append((char) random.nextInt(random.nextBoolean() ? 128 : 0xD800));
    }
    return b.toString();
  }

  private static String mutate(String valid, Random random) {
    StringBuilder b = new StringBuilder(valid);
    int edits = 1 + random.nextInt(4);
    String tokens = "{}[]\":,0123456789.-eE ntfaluNI\\";
    for (int e = 0; e < edits && b.length() > 0; e++) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(3)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, tokens.charAt(random.nextInt(tokens.length())));
        default -> b.setCharAt(at, tokens.charAt(random.nextInt(tokens.length())));
      }
    }
    return b.toString();
  }

  @Test
  void anUnknownTypeKeepsTheIdSoTheClientCanMatchTheError() {
    assertThatThrownBy(() -> ClientMessages.parse("{\"type\":\"teleport\",\"id\":\"t-1\"}"))
        .isInstanceOfSatisfying(
            ClientMessages.Unreadable.class, u -> assertThat(u.id().asText()).isEqualTo("t-1"));
  }
}
