/**
 * The facts Convoy's rules reason over: a documented, stable public API.
 *
 * <p>Input facts describe what was loaded ({@link WorkloadFact}, {@link ContainerFact}, {@link
 * NamespaceFact}, {@link PolicyFact}, {@link PolicyContainer}). Decision facts are what rules
 * insert ({@link PolicyMatch}, {@link Veto}, {@link ForceInjection}, {@link
 * dev.convoy.engine.decide.Injection}, {@link dev.convoy.engine.decide.Edge}, {@link
 * dev.convoy.engine.decide.Violation}). Late facts describe what rendering did ({@link
 * EffectiveResourcesFact}, {@link KubeletOrderFact}). Every fact is an immutable record; a rule
 * changes a decision by inserting or retracting decision facts, never by modifying one.
 *
 * <p>Workloads are rendered once per target, so every workload-scoped fact refers to its workload
 * by {@link WorkloadFact#id()}, which is unique across targets.
 */
package dev.convoy.engine.facts;
