package dev.clawbots.region;

/**
 * The port through which a region announces what happened to the gateways that serve its clients:
 * in-process pub/sub ({@link TopicRegionFeed}) or, wired in by the server, Redis.
 */
public interface RegionFeed extends RegionObserver {}
