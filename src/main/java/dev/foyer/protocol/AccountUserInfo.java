package dev.foyer.protocol;

import java.util.function.Function;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;
import org.springframework.stereotype.Component;

import dev.foyer.directory.Account;
import dev.foyer.directory.Accounts;

/** The userinfo answer: the account's claims as they are now, released by the token's scopes. */
@Component
class AccountUserInfo implements Function<OidcUserInfoAuthenticationContext, OidcUserInfo> {

	private final Accounts accounts;

	private final TenantContext tenants;

	AccountUserInfo(Accounts accounts, TenantContext tenants) {
		this.accounts = accounts;
		this.tenants = tenants;
	}

	@Override
	public OidcUserInfo apply(OidcUserInfoAuthenticationContext context) {
		OAuth2Authorization authorization = context.getAuthorization();
		Account account = this.accounts.findCached(this.tenants.requireTenant(), authorization.getPrincipalName())
			.filter(Account::accountEnabled)
			.orElseThrow(() -> new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_TOKEN));
		return new OidcUserInfo(IdentityClaims.of(account, authorization.getAuthorizedScopes()));
	}

}
