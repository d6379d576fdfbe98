package dev.foyer.admin;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import dev.foyer.config.BaseUrl;

/** The admin API's OpenAPI document, generated from the controllers, served at /api/v1/openapi.json. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI foyerOpenApi(BaseUrl baseUrl) {
		return new OpenAPI()
			.info(new Info().title("Foyer admin API")
				.version("v1")
				.description("Tenants, directory, applications, roles and audit logs. Authenticate with a bearer access "
						+ "token from {base}/t/admin/oauth2/token (client_credentials of a service application holding a "
						+ "directory role). Errors are RFC 9457 application/problem+json."))
			.addServersItem(new Server().url(baseUrl.toString()))
			.components(new Components().addSecuritySchemes("bearer",
					new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
			.addSecurityItem(new SecurityRequirement().addList("bearer"));
	}

}
