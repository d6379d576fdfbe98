package dev.foyer.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON schema of the requests Entra External ID sends its extensions (test resource extension-contract/). */
final class ExtensionContract {

	private static final Schema REQUESTS = load();

	private ExtensionContract() {
	}

	private static Schema load() {
		try (InputStream in = ExtensionContract.class.getResourceAsStream("/extension-contract/requests.schema.json")) {
			return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Fails the test unless the body Foyer sent matches the contract. */
	static void assertValidRequest(String body) {
		assertThat(errors(body)).as("request to the extension:\n%s", body).isEmpty();
	}

	static java.util.List<com.networknt.schema.Error> errors(String body) {
		JsonNode json = JsonMapper.builder().build().readTree(body);
		return REQUESTS.validate(json);
	}

}
