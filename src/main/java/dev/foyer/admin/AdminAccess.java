package dev.foyer.admin;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.foyer.directory.DirectoryRole;
import dev.foyer.directory.RoleAssignments;
import dev.foyer.tenant.Tenant;
import dev.foyer.tenant.Tenants;
import dev.foyer.web.ApiException;

/**
 * Decides what the caller may do in a tenant. Global administrators (of the admin tenant) may do everything
 * everywhere; everyone else acts only in the tenant that issued their token. A tenant the caller has no role
 * in answers 404, as if it did not exist; a role that does not cover the area answers 403.
 */
@Component
class AdminAccess {

	/** What a request touches. */
	enum Area {

		/** Creating, listing and deleting tenants. */
		TENANTS,
		/** Reading and renaming the tenant itself. */
		TENANT_SETTINGS,
		/** Accounts and groups. */
		DIRECTORY,
		/** App registrations and their secrets. */
		APPLICATIONS,
		/** Directory role assignments. */
		ROLES,
		/** The audit log. */
		AUDIT

	}

	private final Tenants tenants;

	private final RoleAssignments roles;

	AdminAccess(Tenants tenants, RoleAssignments roles) {
		this.tenants = tenants;
		this.roles = roles;
	}

	AdminPrincipal caller() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof AdminPrincipal principal) {
			return principal;
		}
		throw new IllegalStateException("Admin API reached without an authenticated admin principal");
	}

	boolean isGlobalAdministrator(AdminPrincipal caller) {
		return Tenant.ADMIN.equals(caller.tenantId()) && caller.roles().contains(DirectoryRole.GLOBAL_ADMINISTRATOR);
	}

	/** Checks the caller may act on this area of this tenant, and that the tenant exists. */
	void check(String tenantId, Area area) {
		AdminPrincipal caller = caller();
		if (isGlobalAdministrator(caller)) {
			this.tenants.get(tenantId);
			return;
		}
		if (!caller.tenantId().equals(tenantId)) {
			throw ApiException.notFound("Tenant");
		}
		if (!allows(caller, area)) {
			throw ApiException.forbidden("Your directory roles do not allow this");
		}
		this.tenants.get(tenantId);
	}

	/**
	 * Principals that hold directory roles are privileged: changing one (its secrets, password, email, or deleting
	 * it) is changing who administers. Only a Tenant administrator of its tenant may, and only a Global
	 * administrator may touch a Global administrator. This closes the path by which a User or Application
	 * administrator would take over a more privileged principal.
	 */
	void checkCanManage(String tenantId, String principalId) {
		if (!mayManage(this.roles.rolesOf(tenantId, principalId))) {
			throw ApiException.forbidden("This principal holds directory roles; only a more privileged administrator may change it");
		}
	}

	/** Whether the caller may manage a principal holding these roles (see {@link #checkCanManage}). */
	boolean mayManage(Set<DirectoryRole> held) {
		if (held.isEmpty()) {
			return true;
		}
		AdminPrincipal caller = caller();
		if (isGlobalAdministrator(caller)) {
			return true;
		}
		return !held.contains(DirectoryRole.GLOBAL_ADMINISTRATOR)
				&& caller.roles().contains(DirectoryRole.TENANT_ADMINISTRATOR);
	}

	/**
	 * The principals of the tenant that hold roles the caller may not manage. Their password hashes stay out of an
	 * export: a User administrator could otherwise take a Tenant administrator's hash away and crack it offline.
	 */
	Set<String> principalsBeyondReach(String tenantId) {
		Map<String, Set<DirectoryRole>> held = new HashMap<>();
		this.roles.list(tenantId)
			.forEach(a -> held.computeIfAbsent(a.principalId(), id -> EnumSet.noneOf(DirectoryRole.class)).add(a.role()));
		Set<String> beyond = new HashSet<>();
		held.forEach((principal, roles) -> {
			if (!mayManage(roles)) {
				beyond.add(principal);
			}
		});
		return beyond;
	}

	/** Only global administrators create, list and delete tenants. */
	void checkGlobal() {
		if (!isGlobalAdministrator(caller())) {
			throw ApiException.forbidden("Only a Global administrator may do this");
		}
	}

	private static boolean allows(AdminPrincipal caller, Area area) {
		if (caller.roles().contains(DirectoryRole.TENANT_ADMINISTRATOR)) {
			return area != Area.TENANTS;
		}
		return switch (area) {
			case DIRECTORY -> caller.roles().contains(DirectoryRole.USER_ADMINISTRATOR);
			case APPLICATIONS -> caller.roles().contains(DirectoryRole.APPLICATION_ADMINISTRATOR);
			case TENANT_SETTINGS, TENANTS, ROLES, AUDIT -> false;
		};
	}

}
