package dev.foyer.session;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

import com.nimbusds.jwt.JWTParser;

/**
 * Gives Spring Security the person signed in to the tenant of the request, from the tenant's SSO session cookie.
 * An authorization request that asks for a fresh sign-in ({@code prompt=login}, a {@code max_age} the session
 * is older than, or an {@code id_token_hint} for someone else) sees nobody signed in, and so goes through sign-in
 * again. Sessions are started by the sign-in
 * flow itself, never saved here.
 */
@Component
public class SessionSecurityContextRepository implements SecurityContextRepository {

	private final SsoSessions sessions;

	public SessionSecurityContextRepository(SsoSessions sessions) {
		this.sessions = sessions;
	}

	@Override
	@SuppressWarnings("deprecation")
	public SecurityContext loadContext(HttpRequestResponseHolder holder) {
		return loadDeferredContext(holder.getRequest()).get();
	}

	@Override
	public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
		Supplier<Optional<SecurityContext>> load = SingletonSupplier.of(() -> TenantPaths.tenantOf(request)
			.flatMap(tenant -> this.sessions.current(tenant, request))
			.filter(session -> !needsFreshSignIn(request, session))
			.map(session -> (SecurityContext) new SecurityContextImpl(session.authentication())));
		return new DeferredSecurityContext() {
			@Override
			public SecurityContext get() {
				return load.get().orElseGet(SecurityContextHolder::createEmptyContext);
			}

			@Override
			public boolean isGenerated() {
				return load.get().isEmpty();
			}
		};
	}

	static boolean needsFreshSignIn(HttpServletRequest request, SsoSession session) {
		if (!request.getRequestURI().endsWith("/oauth2/authorize")) {
			return false;
		}
		if (Prompts.asks(request, "login")) {
			return true;
		}
		String hint = request.getParameter("id_token_hint");
		if (hint != null && !session.accountId().equals(subjectOf(hint))) {
			return true;
		}
		String maxAge = request.getParameter("max_age");
		if (maxAge != null) {
			try {
				return session.authTime().plusSeconds(Long.parseLong(maxAge)).isBefore(Instant.now());
			}
			catch (NumberFormatException ex) {
				return false;
			}
		}
		return false;
	}

	/**
	 * The subject of an {@code id_token_hint} (OpenID Connect Core 3.1.2.1): an ID token of this tenant, possibly
	 * expired, naming whom the app expects to be signed in. Its signature is not checked, because it can only take a
	 * session away from this request: when it names someone else (or cannot be read), the person signs in again, and
	 * with {@code prompt=none} the app gets {@code login_required}.
	 */
	private static String subjectOf(String idToken) {
		try {
			return JWTParser.parse(idToken).getJWTClaimsSet().getSubject();
		}
		catch (java.text.ParseException ex) {
			return null;
		}
	}

	@Override
	public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
		// Sessions start in the sign-in flow, with a new cookie; nothing to save per request.
	}

	@Override
	public boolean containsContext(HttpServletRequest request) {
		return Cookies.read(request, SsoSessions.COOKIE).isPresent();
	}

}
