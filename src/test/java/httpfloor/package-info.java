/**
 * Servers that do nothing but answer a token endpoint's request with a fixed body, for the sign-in benchmark's HTTP
 * floor (dev.foyer.bench.HttpFloors, docs/benchmarks.md): what the rest of a grant costs on this machine before any of
 * Foyer's work. They sit outside {@code dev.foyer} so that neither Foyer's component scan nor a test's search for
 * its Spring Boot application ever finds {@link httpfloor.SpringFloor}.
 */
package httpfloor;
