package dev.foyer.admin;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.SecurityFilterChain;

import dev.foyer.protocol.TenantTokenDecoder;
import dev.foyer.web.BearerTokens;
import dev.foyer.web.ProblemResponses;

/**
 * The admin API takes bearer access tokens of Foyer's own tenants and nothing else: no cookies, so no CSRF
 * exposure. Refusals are problem+json: 401 without a valid token, 403 when roles do not allow.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

	@Bean
	@Order(2)
	SecurityFilterChain adminApiChain(HttpSecurity http, TenantTokenDecoder decoder, AdminPrincipalConverter converter)
			throws Exception {
		http.securityMatcher("/api/**")
			.authorizeHttpRequests(authorize -> authorize.requestMatchers("/api/v1/openapi.json", "/api/v1/openapi.json/**")
				.permitAll()
				.anyRequest()
				.authenticated())
			.oauth2ResourceServer(resource -> resource.bearerTokenResolver(new BearerTokens())
				.jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(converter))
				.authenticationEntryPoint((request, response, ex) -> {
					response.setHeader("WWW-Authenticate", BearerTokens.challenge(
							ex instanceof OAuth2AuthenticationException oauth ? oauth.getError() : null));
					ProblemResponses.write(response, HttpStatus.UNAUTHORIZED,
							"A valid bearer access token of a Foyer tenant is required", request.getRequestURI(), List.of());
				})
				.accessDeniedHandler((request, response, ex) -> ProblemResponses.write(response, HttpStatus.FORBIDDEN,
						"Your directory roles do not allow this", request.getRequestURI(), List.of())))
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			.requestCache(cache -> cache.disable());
		return http.build();
	}

	/** Everything else: health and metrics probes, and Spring's error page; nothing here needs a user. */
	@Bean
	@Order(10)
	SecurityFilterChain defaultChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			.requestCache(cache -> cache.disable());
		return http.build();
	}

}
