package dev.foyer.protocol;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.foyer.web.SecurityHeaders;

/**
 * Spring Authorization Server with one issuer per tenant: {@code {base}/t/{tenant}}. It sees tenants' clients,
 * keys and tokens only through the tenant-aware beans of this package.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

	@Bean
	@Order(1)
	SecurityFilterChain authorizationServerChain(HttpSecurity http) throws Exception {
		OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
		RequestMatcher endpoints = new AndRequestMatcher(PathPatternRequestMatcher.pathPattern("/t/**"),
				server.getEndpointsMatcher());
		ClientSecretDigestEncoder secrets = new ClientSecretDigestEncoder();
		http.securityMatcher(endpoints)
			.with(server, as -> as.oidc(Customizer.withDefaults())
				.clientAuthentication(client -> client.authenticationProviders(providers -> providers.forEach(provider -> {
					if (provider instanceof ClientSecretAuthenticationProvider secretProvider) {
						secretProvider.setPasswordEncoder(secrets);
					}
				}))))
			.authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.ignoringRequestMatchers(endpoints))
			.headers(SecurityHeaders::apply);
		return http.build();
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings() {
		return AuthorizationServerSettings.builder().multipleIssuersAllowed(true).build();
	}

	@Bean
	OAuth2AuthorizationService authorizationService() {
		return new StatelessClientCredentialsAuthorizationService();
	}

}
