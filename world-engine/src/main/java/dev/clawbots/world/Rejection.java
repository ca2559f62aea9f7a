package dev.clawbots.world;

/** A refused decision: a typed reason, and a sentence a client author can act on. */
public record Rejection(RejectionReason reason, String message) {}
