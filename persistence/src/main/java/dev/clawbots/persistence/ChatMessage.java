package dev.clawbots.persistence;

import java.time.Instant;

/**
 * A chat message as {@code chat_messages} holds it: one per {@code chat} event, {@code (regionId,
 * seq)} being the event. {@code recipientId} is set on private messages only; {@code volume} is
 * {@code whisper}, {@code normal} or {@code shout}.
 */
public record ChatMessage(
    String regionId,
    long seq,
    String senderId,
    String senderName,
    String recipientId,
    String message,
    String volume,
    long worldTick,
    Instant createdAt) {}
