package dev.clawbots.region;

/**
 * Marks what crosses the cluster or lands in the journal: serialized with Jackson CBOR, as bound in
 * {@code serialization.conf}.
 */
public interface CborSerializable {}
