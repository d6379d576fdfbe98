package dev.foyer.session;

import java.time.Instant;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * A person signed in to one tenant through a single sign-on session. Its name is the account id, which is also
 * the {@code sub} of the tokens issued to it.
 */
public final class AccountAuthentication extends AbstractAuthenticationToken {

	private final String tenantId;

	private final String accountId;

	private final String sessionId;

	private final Instant authTime;

	private final List<String> amr;

	public AccountAuthentication(String tenantId, String accountId, String sessionId, Instant authTime, List<String> amr) {
		super(factors(amr, authTime));
		this.tenantId = tenantId;
		this.accountId = accountId;
		this.sessionId = sessionId;
		this.authTime = authTime;
		this.amr = List.copyOf(amr);
		setAuthenticated(true);
	}

	// Spring Security 7 records how and when each factor was proven as a FactorGrantedAuthority; Spring
	// Authorization Server reads auth_time from them.
	private static List<GrantedAuthority> factors(List<String> amr, Instant authTime) {
		return amr.stream()
			.map(method -> (GrantedAuthority) FactorGrantedAuthority
				.withAuthority(switch (method) {
					case "pwd" -> FactorGrantedAuthority.PASSWORD_AUTHORITY;
					case "otp" -> FactorGrantedAuthority.OTT_AUTHORITY;
					default -> "FACTOR_" + method.toUpperCase(java.util.Locale.ROOT);
				})
				.issuedAt(authTime)
				.build())
			.toList();
	}

	public String tenantId() {
		return this.tenantId;
	}

	public String accountId() {
		return this.accountId;
	}

	/** The public id of the SSO session: the {@code sid} claim. */
	public String sessionId() {
		return this.sessionId;
	}

	public Instant authTime() {
		return this.authTime;
	}

	public List<String> amr() {
		return this.amr;
	}

	@Override
	public String getName() {
		return this.accountId;
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public Object getPrincipal() {
		return this.accountId;
	}

}
