package dev.convoy.engine.decide;

/** How bad a violation is: errors stop a workload from being rendered, warnings are reported. */
public enum Severity {
  ERROR,
  WARNING
}
