package dev.foyer.audit;

/**
 * Who made a change: an admin account, an application acting for itself, or Foyer itself (first start,
 * scheduled work). The security layer's principal implements this, so the audit log never depends on it.
 */
public interface Actor {

	/** {@code user}, {@code application} or {@code system}. */
	String actorType();

	String actorId();

	/** The tenant that issued the actor's token; null for the system. */
	String actorTenant();

}
