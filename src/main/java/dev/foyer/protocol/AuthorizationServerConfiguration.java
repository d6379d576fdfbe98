package dev.foyer.protocol;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2AccessTokenGenerator;
import org.springframework.security.oauth2.server.authorization.web.OAuth2AuthorizationEndpointFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.foyer.session.Prompts;
import dev.foyer.session.SessionSecurityContextRepository;
import dev.foyer.signin.SignInEntryPoint;
import dev.foyer.web.BearerTokens;
import dev.foyer.web.OAuthErrors;

/**
 * Spring Authorization Server with one issuer per tenant: {@code {base}/t/{tenant}}. It sees tenants' clients, keys
 * and authorizations only through the tenant-aware beans of this package, and people through the tenant's SSO
 * session; an authorization request without one goes to the tenant's sign-in flow.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

	static final List<String> SCOPES = List.of(OidcScopes.OPENID, OidcScopes.PROFILE, OidcScopes.EMAIL,
			TenantClientRepository.OFFLINE_ACCESS);

	static final List<String> GRANT_TYPES = List.of("authorization_code", "refresh_token", "client_credentials");

	static final List<String> CLIENT_AUTHENTICATION_METHODS = List.of("client_secret_basic", "client_secret_post",
			"private_key_jwt", "none");

	/** What Spring Authorization Server would advertise but Foyer's apps cannot use (yet). */
	static final List<String> UNSUPPORTED_METADATA = List.of("device_authorization_endpoint",
			"pushed_authorization_request_endpoint", "dpop_signing_alg_values_supported", "registration_endpoint",
			"tls_client_certificate_bound_access_tokens");

	static final List<String> CLAIMS = List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "amr", "sid",
			"at_hash", "name", "given_name", "family_name", "updated_at", "email", "email_verified");

	@Bean
	@Order(1)
	SecurityFilterChain authorizationServerChain(HttpSecurity http, SessionSecurityContextRepository sessions,
			SignInEntryPoint signIn, TenantTokenDecoder decoder, ClientAssertionKeys assertionKeys,
			AuthorizationResponses responses, SsoLogout logout, AccountUserInfo userInfo, TenantAuthorizationService authorizations,
			TenantClientRepository clients, TenantJwtEncoder encoder, TokenShape tokenShape)
			throws Exception {
		OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
		// RFC 8414 puts the metadata of issuer {base}/t/x at {base}/.well-known/oauth-authorization-server/t/x.
		RequestMatcher endpoints = new AndRequestMatcher(new OrRequestMatcher(PathPatternRequestMatcher.pathPattern("/t/**"),
				PathPatternRequestMatcher.pathPattern(TenantPathFilter.RFC8414_PREFIX + "**")), server.getEndpointsMatcher());
		ClientSecretDigestEncoder secrets = new ClientSecretDigestEncoder();
		TokensInUse tokensInUse = new TokensInUse(authorizations);
		// Spring Authorization Server tracks OIDC sessions in a servlet session; Foyer's nodes are stateless and
		// track sign-on in its own SSO sessions (the sid claim), so no servlet session is ever created.
		server.withObjectPostProcessor(new ObjectPostProcessor<OAuth2AuthorizationEndpointFilter>() {
			@Override
			public <O extends OAuth2AuthorizationEndpointFilter> O postProcess(O filter) {
				filter.setSessionAuthenticationStrategy((authentication, request, response) -> {
				});
				return filter;
			}
		});
		// Spring Authorization Server's own generators, but for refresh tokens, which public apps get too.
		JwtGenerator jwts = new JwtGenerator(encoder);
		jwts.setJwtCustomizer(tokenShape);
		http.securityMatcher(endpoints)
			.with(server, as -> as
				.tokenGenerator(new DelegatingOAuth2TokenGenerator(jwts, new OAuth2AccessTokenGenerator(),
						new PublicClientRefresh.Tokens()))
				.authorizationEndpoint(authorize -> authorize.authorizationResponseHandler(responses::success)
					.errorResponseHandler(responses::failure)
					.authenticationProviders(providers -> providers.forEach(provider -> {
						if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider requests) {
							requests.setAuthenticationValidator(new OAuth2AuthorizationCodeRequestAuthenticationValidator()
								.andThen(AuthorizationRequestRules::refuseRequestParameter)
								.andThen(AuthorizationRequestRules::checkCodeChallenge)
								.andThen(AuthorizationRequestRules::checkResponseMode));
						}
					})))
				.tokenIntrospectionEndpoint(introspection -> introspection.authenticationProviders(providers -> providers
					.replaceAll(p -> p instanceof OAuth2TokenIntrospectionAuthenticationProvider
							? new OAuth2TokenIntrospectionAuthenticationProvider(clients, tokensInUse) : p)))
				.authorizationServerMetadataEndpoint(metadata -> metadata
					.authorizationServerMetadataCustomizer(m -> m.claims(AuthorizationServerConfiguration::describe)))
				.oidc(oidc -> oidc
					.providerConfigurationEndpoint(provider -> provider.providerConfigurationCustomizer(p -> p.claims(c -> {
						describe(c);
						c.put("id_token_signing_alg_values_supported", List.of("RS256", "ES256"));
						c.put("claims_supported", CLAIMS);
						c.put("prompt_values_supported", List.of("none", "login", "create"));
					})))
					// userinfo and introspection read access tokens in use from memory (TokensInUse).
					.userInfoEndpoint(endpoint -> endpoint.errorResponseHandler(BearerTokens::challenge)
						.authenticationProviders(providers -> {
							OidcUserInfoAuthenticationProvider fromMemory = new OidcUserInfoAuthenticationProvider(tokensInUse);
							fromMemory.setUserInfoMapper(userInfo);
							providers.replaceAll(p -> p instanceof OidcUserInfoAuthenticationProvider ? fromMemory : p);
						}))
					.logoutEndpoint(endpoint -> endpoint.logoutResponseHandler(logout::loggedOut)
						.errorResponseHandler(logout::refused)))
				.clientAuthentication(client -> client
					.authenticationConverters(converters -> converters.add(new PublicClientRefresh.Converter()))
					.authenticationProviders(providers -> {
						providers.forEach(provider -> {
							if (provider instanceof ClientSecretAuthenticationProvider secretProvider) {
								secretProvider.setPasswordEncoder(secrets);
							}
							if (provider instanceof JwtClientAssertionAuthenticationProvider assertionProvider) {
								assertionProvider.setJwtDecoderFactory(assertionKeys);
							}
						});
						// Ahead of Spring Authorization Server's public client provider, which wants a PKCE verifier.
						providers.add(0, new PublicClientRefresh.Provider(clients));
					})))
			// prompt=none must reach the authorization endpoint unauthenticated, to answer login_required to the app.
			.authorizeHttpRequests(authorize -> authorize.requestMatchers(AuthorizationServerConfiguration::promptNone)
				.permitAll()
				.anyRequest()
				.authenticated())
			.securityContext(context -> context.securityContextRepository(sessions))
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.exceptionHandling(exceptions -> exceptions
				.defaultAuthenticationEntryPointFor(signIn, PathPatternRequestMatcher.pathPattern("/t/*/oauth2/authorize"))
				.defaultAuthenticationEntryPointFor(AuthorizationServerConfiguration::invalidClient,
						new OrRequestMatcher(PathPatternRequestMatcher.pathPattern("/t/*/oauth2/token"),
								PathPatternRequestMatcher.pathPattern("/t/*/oauth2/introspect"),
								PathPatternRequestMatcher.pathPattern("/t/*/oauth2/revoke"))))
			.oauth2ResourceServer(resource -> resource.bearerTokenResolver(BearerTokens.headerOrFormBody())
				.authenticationEntryPoint(BearerTokens::challenge)
				.jwt(jwt -> jwt.decoder(decoder)))
			// Every request of this chain is a protocol endpoint, which CSRF protection ignores; Spring Authorization
			// Server keeps the filter all the same. Its token is not offered to renderers either: the sign-in page
			// served on an authorization request (SignInEntryPoint) would render it and so create a servlet session.
			// The hosted pages' forms carry their flow run's own token (FlowRuns).
			.csrf(csrf -> csrf.ignoringRequestMatchers(endpoints).csrfTokenRequestHandler((request, response, token) -> {
			}))
			.addFilterBefore(new AuthorizationRequestRules.RequestUriRefusal(), SecurityContextHolderFilter.class)
			.addFilterBefore(new SsoLogout.WithoutIdTokenHint(), SecurityContextHolderFilter.class)
			.addFilterBefore(new SingleClientAuthentication(), SecurityContextHolderFilter.class);
		return http.build();
	}

	/**
	 * A request to the token, introspection or revocation endpoint that carries no client authentication at all: the
	 * client authentication filter lets it through, and it would otherwise end in an empty 401. RFC 6749 (5.2) and
	 * RFC 7662 want the same {@code invalid_client} error as for wrong credentials.
	 */
	private static void invalidClient(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException failure) throws IOException {
		OAuthErrors.write(response, HttpStatus.UNAUTHORIZED,
				new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "Client authentication is required", null));
	}


	/** What both metadata documents (RFC 8414 and OIDC Discovery) say of Foyer, and nothing it cannot do. */
	static void describe(java.util.Map<String, Object> metadata) {
		UNSUPPORTED_METADATA.forEach(metadata::remove);
		metadata.put("scopes_supported", SCOPES);
		metadata.put("grant_types_supported", GRANT_TYPES);
		metadata.put("token_endpoint_auth_methods_supported", CLIENT_AUTHENTICATION_METHODS);
		metadata.put("response_modes_supported", AuthorizationResponses.RESPONSE_MODES);
		metadata.put("authorization_response_iss_parameter_supported", true);
		// OpenID Connect Back-Channel Logout 1.0 (BackChannelLogout): logout tokens always carry sid.
		metadata.put("backchannel_logout_supported", true);
		metadata.put("backchannel_logout_session_supported", true);
		// OpenID Connect Discovery takes an absent request_uri_parameter_supported for true.
		metadata.put("request_parameter_supported", false);
		metadata.put("request_uri_parameter_supported", false);
		// Introspection is for confidential apps; a public app revokes its own refresh token with its client_id
		// alone (PublicClientRefresh), as RFC 7009 (2.1) allows, so "none" is listed for revocation.
		List<String> confidential = CLIENT_AUTHENTICATION_METHODS.stream().filter(m -> !m.equals("none")).toList();
		metadata.put("introspection_endpoint_auth_methods_supported", confidential);
		metadata.put("revocation_endpoint_auth_methods_supported", CLIENT_AUTHENTICATION_METHODS);
		// RFC 8414 (2): required wherever private_key_jwt is listed.
		List<String> assertionAlgorithms = ClientAssertionKeys.ALGORITHMS.stream().map(a -> a.getName()).toList();
		for (String endpoint : List.of("token", "introspection", "revocation")) {
			metadata.put(endpoint + "_endpoint_auth_signing_alg_values_supported", assertionAlgorithms);
		}
	}

	static boolean promptNone(HttpServletRequest request) {
		return request.getRequestURI().endsWith("/oauth2/authorize") && Prompts.asks(request, "none");
	}

	/** CORS ahead of every security chain, so that browsers' preflight requests are answered too. */
	@Bean
	org.springframework.boot.web.servlet.FilterRegistrationBean<org.springframework.web.filter.CorsFilter> spaCors(
			SpaOrigins origins) {
		var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(
				new org.springframework.web.filter.CorsFilter(origins));
		registration.addUrlPatterns("/t/*", "/.well-known/*");
		registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 7);
		return registration;
	}

	/**
	 * No observation per security filter, authentication and authorization: with an ObservationRegistry present
	 * (Actuator), Spring Security otherwise wraps each of the ~25 filters of every request in its own observation.
	 * HTTP request metrics (http.server.requests) stay; the profile of a sign-in showed these wrappers as a
	 * noticeable share of each request's CPU (docs/benchmarks.md).
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings() {
		return AuthorizationServerSettings.builder().multipleIssuersAllowed(true).build();
	}

}
