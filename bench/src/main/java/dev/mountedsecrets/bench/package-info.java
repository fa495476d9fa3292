/**
 * Benchmarks of mounted-secrets against Spring Boot's configtree, in one run with ratios.
 */
@NullMarked
package dev.mountedsecrets.bench;

import org.jspecify.annotations.NullMarked;
