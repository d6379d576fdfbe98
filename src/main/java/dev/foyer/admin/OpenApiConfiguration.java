package dev.foyer.admin;

import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import tools.jackson.databind.JsonNode;

import dev.foyer.config.BaseUrl;

/** The admin API's OpenAPI document, generated from the controllers, served at /api/v1/openapi.json. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static {
		// The endpoints that take Microsoft Graph's bodies read them as a JsonNode; springdoc would otherwise describe
		// Jackson's node class by its getters (isArray, nodeType, ...), which a client generator turns into nonsense.
		SpringDocUtils.getConfig()
			.replaceWithSchema(JsonNode.class, new ObjectSchema()
				.description("A JSON object in Microsoft Graph's shape for this resource (docs/extensions.md, "
						+ "docs/user-flows.md)"));
	}

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
