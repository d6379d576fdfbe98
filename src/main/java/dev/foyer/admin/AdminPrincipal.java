package dev.foyer.admin;

import java.util.Set;

import dev.foyer.audit.Actor;
import dev.foyer.directory.DirectoryRole;

/**
 * The caller of the admin API: an admin account or an application, of the tenant that issued its token, with
 * the directory roles it holds there right now.
 */
public record AdminPrincipal(String tenantId, String principalType, String principalId, String subject,
		Set<DirectoryRole> roles) implements Actor {

	@Override
	public String actorType() {
		return this.principalType;
	}

	@Override
	public String actorId() {
		return this.principalId;
	}

	@Override
	public String actorTenant() {
		return this.tenantId;
	}

}
