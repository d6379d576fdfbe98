package dev.foyer.protocol;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;

import dev.foyer.application.AppType;
import dev.foyer.application.Applications;
import dev.foyer.session.TenantPaths;

/**
 * CORS for browser apps. Discovery and the key set are public to every origin; the token, userinfo and revocation
 * endpoints answer the origins of the tenant's single-page apps' redirect URIs, and no one else. Requests without an
 * Origin (servers, the client_credentials path) never get here.
 */
@Component
class SpaOrigins implements CorsConfigurationSource {

	private final Applications applications;

	SpaOrigins(Applications applications) {
		this.applications = applications;
	}

	@Override
	public CorsConfiguration getCorsConfiguration(HttpServletRequest request) {
		if (!org.springframework.web.cors.CorsUtils.isCorsRequest(request)) {
			return null; // servers and the client_credentials path: nothing to look up
		}
		String path = request.getRequestURI();
		CorsConfiguration cors = new CorsConfiguration();
		cors.setMaxAge(3600L);
		if (path.contains("/.well-known/") || path.endsWith("/oauth2/jwks")) {
			cors.addAllowedOriginPattern("*");
			cors.setAllowedMethods(List.of("GET"));
			return cors;
		}
		if (!(path.endsWith("/oauth2/token") || path.endsWith("/userinfo") || path.endsWith("/oauth2/revoke"))) {
			return null;
		}
		String tenant = TenantPaths.tenantOf(request).orElse(null);
		if (tenant == null) {
			return null;
		}
		Set<String> origins = this.applications.list(tenant).stream()
			.filter(app -> app.appType() == AppType.spa)
			.flatMap(app -> app.redirectUris().stream())
			.map(SpaOrigins::origin)
			.collect(Collectors.toSet());
		cors.setAllowedOrigins(List.copyOf(origins));
		cors.setAllowedMethods(List.of("GET", "POST"));
		cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "DPoP"));
		return cors;
	}

	private static String origin(String uri) {
		URI parsed = URI.create(uri);
		return parsed.getScheme() + "://" + parsed.getRawAuthority();
	}

}
