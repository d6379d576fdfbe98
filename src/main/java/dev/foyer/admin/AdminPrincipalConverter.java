package dev.foyer.admin;

import java.util.Set;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.stereotype.Component;

import dev.foyer.application.Applications;
import dev.foyer.config.BaseUrl;
import dev.foyer.directory.Accounts;
import dev.foyer.directory.DirectoryRole;
import dev.foyer.directory.RoleAssignments;

/**
 * Turns a validated access token into an {@link AdminPrincipal}. A client_credentials token's subject is the
 * client id; a user's token's subject is the account id. Roles are read now, not from the token, so that a
 * revoked role or a blocked account stops working at once.
 */
@Component
class AdminPrincipalConverter implements Converter<Jwt, AbstractAuthenticationToken> {

	private final BaseUrl baseUrl;

	private final Applications applications;

	private final Accounts accounts;

	private final RoleAssignments roles;

	AdminPrincipalConverter(BaseUrl baseUrl, Applications applications, Accounts accounts, RoleAssignments roles) {
		this.baseUrl = baseUrl;
		this.applications = applications;
		this.accounts = accounts;
		this.roles = roles;
	}

	@Override
	public AbstractAuthenticationToken convert(Jwt jwt) {
		String tenantId = this.baseUrl.tenantOfIssuer(jwt.getClaimAsString("iss"))
			.orElseThrow(() -> new InvalidBearerTokenException("Unknown issuer"));
		String subject = jwt.getSubject();
		String clientId = jwt.getClaimAsString("client_id");
		var client = clientId == null ? java.util.Optional.<dev.foyer.application.Client>empty()
				: this.applications.client(tenantId, clientId);
		// A token of a deleted app, or one whose tokens an admin revoked (Applications.revokeTokens), a person's as well
		// as a service's: userinfo and introspection refuse them too.
		if (clientId != null && client.isEmpty()) {
			throw new InvalidBearerTokenException("The application of this token no longer exists");
		}
		if (client.isPresent() && client.get().application().revoked(jwt.getIssuedAt())) {
			throw new InvalidBearerTokenException("The tokens of this token's application were revoked");
		}
		AdminPrincipal principal;
		if (subject != null && subject.equals(clientId)) {
			String applicationId = client.get().application().id();
			principal = new AdminPrincipal(tenantId, RoleAssignments.APPLICATION, applicationId, subject,
					this.roles.rolesOf(tenantId, applicationId));
		}
		else {
			var account = this.accounts.find(tenantId, subject)
				.filter(found -> found.accountEnabled())
				.orElseThrow(() -> new InvalidBearerTokenException("The account of this token is gone or blocked"));
			Set<DirectoryRole> held = account.accountType() == dev.foyer.directory.Account.AccountType.admin
					? this.roles.rolesOf(tenantId, account.id()) : Set.of();
			principal = new AdminPrincipal(tenantId, RoleAssignments.USER, account.id(), subject, held);
		}
		return new AdminAuthentication(principal, jwt);
	}

	static final class AdminAuthentication extends AbstractAuthenticationToken {

		private final AdminPrincipal principal;

		private final Jwt token;

		AdminAuthentication(AdminPrincipal principal, Jwt token) {
			super(AuthorityUtils.createAuthorityList(principal.roles().stream().map(r -> "ROLE_" + r.name()).toArray(String[]::new)));
			this.principal = principal;
			this.token = token;
			setAuthenticated(true);
		}

		@Override
		public Object getCredentials() {
			return this.token;
		}

		@Override
		public AdminPrincipal getPrincipal() {
			return this.principal;
		}

	}

}
