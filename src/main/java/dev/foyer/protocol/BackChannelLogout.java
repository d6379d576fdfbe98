package dev.foyer.protocol;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.foyer.application.Application;
import dev.foyer.application.Applications;
import dev.foyer.config.BaseUrl;
import dev.foyer.mail.Deliveries;
import dev.foyer.session.SsoSessionsEnded;
import dev.foyer.tenant.Tenant;
import dev.foyer.tenant.Tenants;

/**
 * OpenID Connect Back-Channel Logout 1.0: when a single sign-on session ends, every web app that signed in through it
 * and registered a {@code backchannelLogoutUri} hears of it from Foyer's server, with a logout token.
 * <ul>
 * <li>The logout token is a JWT signed like the tenant's ID tokens, with {@code typ: logout+jwt}: {@code iss},
 * {@code aud} (the app's client id), {@code iat}, {@code exp} (two minutes on), {@code jti}, {@code sub},
 * {@code sid} and the back-channel logout {@code events} claim; never a {@code nonce}.</li>
 * <li>It goes out after the ending commits, by {@link Deliveries}: the person signing out does not wait for the apps,
 * and an app that is down does not hold the sign-out up. One attempt, 5 seconds at most; an app that does not answer
 * 2xx is logged, and its own session expiry is the backstop.</li>
 * </ul>
 */
@Component
class BackChannelLogout {

	static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

	static final String TOKEN_TYPE = "logout+jwt";

	private static final Duration LIFETIME = Duration.ofMinutes(2);

	private static final Duration TIME_LIMIT = Duration.ofSeconds(5);

	private static final Logger log = LoggerFactory.getLogger(BackChannelLogout.class);

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(TIME_LIMIT)
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final Applications applications;

	private final Tenants tenants;

	private final JwtEncoder encoder;

	private final BaseUrl baseUrl;

	private final Deliveries deliveries;

	BackChannelLogout(Applications applications, Tenants tenants, JwtEncoder encoder, BaseUrl baseUrl,
			Deliveries deliveries) {
		this.applications = applications;
		this.tenants = tenants;
		this.encoder = encoder;
		this.baseUrl = baseUrl;
		this.deliveries = deliveries;
	}

	@TransactionalEventListener(fallbackExecution = true)
	void ended(SsoSessionsEnded event) {
		Tenant tenant = this.tenants.find(event.tenantId()).orElse(null);
		if (tenant == null) {
			return;
		}
		for (SsoSessionsEnded.Session session : event.sessions()) {
			for (String applicationId : session.applicationIds()) {
				this.applications.clientOfApplication(tenant.id(), applicationId)
					.map(client -> client.application())
					.filter(app -> app.backchannelLogoutUri() != null)
					.ifPresent(app -> this.deliveries.later("back-channel logout", () -> send(tenant, app, session)));
			}
		}
	}

	private void send(Tenant tenant, Application app, SsoSessionsEnded.Session session) {
		String token = logoutToken(tenant, app.clientId(), session.accountId(), session.id());
		HttpRequest request = HttpRequest.newBuilder(URI.create(app.backchannelLogoutUri()))
			.timeout(TIME_LIMIT)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("logout_token=" + URLEncoder.encode(token, StandardCharsets.US_ASCII)))
			.build();
		try {
			int status = this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
			if (status / 100 == 2) {
				log.info("Back-channel logout of session {} delivered to app {} of tenant {}", session.id(), app.clientId(),
						tenant.id());
			}
			else {
				log.warn("Back-channel logout of session {} refused by app {} of tenant {}: HTTP {}", session.id(),
						app.clientId(), tenant.id(), status);
			}
		}
		catch (java.io.IOException ex) {
			log.warn("Back-channel logout of session {} not delivered to app {} of tenant {}: {}", session.id(),
					app.clientId(), tenant.id(), ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The logout token of Back-Channel Logout 1.0 (section 2.4), signed with the key the tenant's ID tokens use. */
	String logoutToken(Tenant tenant, String clientId, String accountId, String sessionId) {
		Instant now = Instant.now();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(this.baseUrl.issuer(tenant.id()))
			.audience(List.of(clientId))
			.issuedAt(now)
			.expiresAt(now.plus(LIFETIME))
			.id(UUID.randomUUID().toString())
			.subject(accountId)
			.claim("sid", sessionId)
			.claim("events", Map.of(EVENT, Map.of()))
			.build();
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.from(tenant.signingAlgorithm().name())).type(TOKEN_TYPE).build();
		return this.encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
	}

}
