package example;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A custom authentication extension for Foyer's (and Entra External ID's) token issuance start event, in one file.
 * It accepts only requests whose bearer token the tenant signed for this API (signature checked with the tenant's
 * JWKS, issuer, audience, expiry, and Foyer's {@code azp}), and answers a loyalty number and roles as claims.
 *
 * <pre>
 * java -cp ... example.ClaimsExtension 8085 https://id.example.com/t/acme api://loyalty.example.com
 * </pre>
 *
 * Register it with {@code targetUrl} {@code http://127.0.0.1:8085/claims}, {@code resourceId}
 * {@code api://loyalty.example.com}, and {@code claimsForTokenConfiguration} {@code loyaltyNumber}, {@code customRoles}
 * (docs/extensions.md). A real one would look the person up by {@code data.authenticationContext.user.mail}.
 */
public final class ClaimsExtension {

	private final DefaultJWTProcessor<SecurityContext> tokens = new DefaultJWTProcessor<>();

	private ClaimsExtension(String issuer, String audience) throws IOException {
		JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create(issuer + "/oauth2/jwks").toURL()).build();
		this.tokens.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
		this.tokens.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
				new JWTClaimsSet.Builder().issuer(issuer).claim("azp", "foyer-authentication-extensions").build(),
				Set.of("exp", "iat")));
	}

	/** Starts the extension on 127.0.0.1 and returns its server (the caller stops it). */
	public static HttpServer start(int port, String issuer, String audience) throws IOException {
		ClaimsExtension extension = new ClaimsExtension(issuer, audience);
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		server.createContext("/claims", extension::handle);
		server.start();
		return server;
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 3) {
			System.err.println("usage: ClaimsExtension <port> <tenant issuer> <resource id>");
			System.exit(2);
		}
		HttpServer server = start(Integer.parseInt(args[0]), args[1], args[2]);
		System.out.println("claims extension listening on http://127.0.0.1:" + server.getAddress().getPort() + "/claims");
	}

	private void handle(HttpExchange exchange) throws IOException {
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		try {
			if (authorization == null || !authorization.startsWith("Bearer ")) {
				throw new SecurityException("no bearer token");
			}
			this.tokens.process(authorization.substring("Bearer ".length()), null);
		}
		catch (Exception ex) {
			reply(exchange, 401, "{\"error\": \"unauthorized\"}");
			return;
		}
		String mail;
		try {
			Map<String, Object> request = JSONObjectUtils.parse(new String(exchange.getRequestBody().readAllBytes(),
					StandardCharsets.UTF_8));
			Map<String, Object> user = JSONObjectUtils.getJSONObject(JSONObjectUtils.getJSONObject(
					JSONObjectUtils.getJSONObject(request, "data"), "authenticationContext"), "user");
			mail = JSONObjectUtils.getString(user, "mail");
		}
		catch (java.text.ParseException | NullPointerException ex) {
			reply(exchange, 400, "{\"error\": \"not a token issuance start request\"}");
			return;
		}
		// Here a real extension would read its own store; the sample derives a stable number from the address.
		String loyaltyNumber = "LN-" + Math.floorMod(mail == null ? 0 : mail.hashCode(), 100_000);
		reply(exchange, 200, """
				{"data": {"@odata.type": "microsoft.graph.onTokenIssuanceStartResponseData",
				  "actions": [{"@odata.type": "microsoft.graph.tokenIssuanceStart.provideClaimsForToken",
				    "claims": {"loyaltyNumber": "%s", "customRoles": ["Shopper"]}}]}}""".formatted(loyaltyNumber));
	}

	private static void reply(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

}
