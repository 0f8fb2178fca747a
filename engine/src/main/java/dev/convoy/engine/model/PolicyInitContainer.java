package dev.convoy.engine.model;

import java.util.Map;

/** A one-shot init container a policy injects; {@code container} is rendered as loaded. */
public record PolicyInitContainer(String name, Map<String, Object> container, int line) {}
