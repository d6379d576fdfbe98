package dev.foyer.keys;

import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * Per-tenant token signing keys. Private keys are stored sealed under the {@link MasterKey}; the public half is
 * stored as a JWK. Signers and the published key set are served from memory.
 */
@Service
public class SigningKeys {

	static final String CURRENT = "current";

	/** Published before use, so that relying parties have it cached when it becomes current. */
	static final String NEXT = "next";

	/** Retired from signing, still published until the next rotation, so that tokens it signed stay valid. */
	static final String PREVIOUS = "previous";

	private final JdbcClient jdbc;

	private final MasterKey masterKey;

	private final Map<String, ActiveKey> active = new ConcurrentHashMap<>();

	private final Map<String, JWKSet> published = new ConcurrentHashMap<>();

	public SigningKeys(JdbcClient jdbc, MasterKey masterKey) {
		this.jdbc = jdbc;
		this.masterKey = masterKey;
	}

	/**
	 * Generates a new tenant's keys, within the caller's transaction: for each algorithm a current key and a next
	 * one, so that every tenant can sign with RS256 or ES256 as its apps ask.
	 */
	public void createInitialKeys(String tenantId) {
		// Generating an RSA key takes up to hundreds of milliseconds, most of a tenant's creation (and of Foyer's
		// first start): the four keys are generated at once on the CPUs, then stored here, in the caller's transaction.
		List<SigningAlgorithm> algorithms = List.of(SigningAlgorithm.values());
		List<JWK> keys = java.util.stream.IntStream.range(0, algorithms.size() * 2)
			.parallel()
			.mapToObj(i -> generate(algorithms.get(i / 2)))
			.toList();
		for (int i = 0; i < keys.size(); i++) {
			insert(tenantId, algorithms.get(i / 2), i % 2 == 0 ? CURRENT : NEXT, keys.get(i));
		}
	}

	/**
	 * Rotates every algorithm's keys: the next key becomes current, the current one previous (still published, so
	 * tokens it signed keep validating), the previous one is dropped, and a new next key is published.
	 */
	public void rotate(String tenantId) {
		ensureComplete(tenantId);
		for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
			this.jdbc.sql("delete from signing_key where tenant_id = ? and algorithm = ? and status = ?")
				.params(tenantId, algorithm.name(), PREVIOUS)
				.update();
			this.jdbc.sql("update signing_key set status = ? where tenant_id = ? and algorithm = ? and status = ?")
				.params(PREVIOUS, tenantId, algorithm.name(), CURRENT)
				.update();
			this.jdbc.sql("update signing_key set status = ? where tenant_id = ? and algorithm = ? and status = ?")
				.params(CURRENT, tenantId, algorithm.name(), NEXT)
				.update();
			insert(tenantId, algorithm, NEXT);
		}
		dev.foyer.config.AfterCommit.run(() -> forget(tenantId));
	}

	/**
	 * Gives every algorithm of every tenant a current and a next key where one is missing: tenants created before
	 * Foyer signed with both algorithms had a single RS256 key. Runs at start-up; returns how many keys it added.
	 */
	public int ensureComplete() {
		return this.jdbc.sql("select id from tenant").query(String.class).list().stream().mapToInt(this::ensureComplete).sum();
	}

	private int ensureComplete(String tenantId) {
		java.util.Set<String> present = new java.util.HashSet<>(this.jdbc
			.sql("select algorithm || ':' || status from signing_key where tenant_id = ?")
			.param(tenantId)
			.query(String.class)
			.list());
		int added = 0;
		for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
			for (String status : List.of(CURRENT, NEXT)) {
				if (!present.contains(algorithm.name() + ":" + status)) {
					insert(tenantId, algorithm, status);
					added++;
				}
			}
		}
		if (added > 0) {
			forget(tenantId);
		}
		return added;
	}

	/** The public keys of a tenant with their status, for the admin API. */
	public List<KeyInfo> list(String tenantId) {
		return this.jdbc.sql("select kid, algorithm, status, created_at from signing_key where tenant_id = ? order by algorithm, created_at")
			.param(tenantId)
			.query((rs, n) -> new KeyInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()))
			.list();
	}

	/** A key as the admin API shows it: never the private part. */
	public record KeyInfo(String kid, String algorithm, String status, Instant createdAt) {
	}

	private void insert(String tenantId, SigningAlgorithm algorithm, String status) {
		insert(tenantId, algorithm, status, generate(algorithm));
	}

	private void insert(String tenantId, SigningAlgorithm algorithm, String status, JWK key) {
		this.jdbc.sql("""
				insert into signing_key (kid, tenant_id, algorithm, status, public_jwk, private_sealed, created_at)
				values (?, ?, ?, ?, ?, ?, ?)""")
			.params(key.getKeyID(), tenantId, algorithm.name(), status, key.toPublicJWK().toJSONString(),
					this.masterKey.seal(key.toJSONString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
							context(tenantId, key.getKeyID())),
					Timestamp.from(Instant.now()))
			.update();
	}

	/** The key that signs the tenant's tokens of this algorithm now. */
	public ActiveKey activeKey(String tenantId, SigningAlgorithm algorithm) {
		return this.active.computeIfAbsent(tenantId + "\n" + algorithm.name(), k -> loadActive(tenantId, algorithm));
	}

	/** The public keys a relying party may meet in the tenant's tokens: next, current and previous. */
	public JWKSet publicKeys(String tenantId) {
		return this.published.computeIfAbsent(tenantId, id -> new JWKSet(this.jdbc
			.sql("select public_jwk from signing_key where tenant_id = ? order by algorithm, created_at desc")
			.param(id)
			.query(String.class)
			.list()
			.stream()
			.map(SigningKeys::parse)
			.toList()));
	}

	/** Opens every private key with the master key, so that a wrong FOYER_MASTER_KEY is found at start-up. */
	public void verifyAll() {
		this.jdbc.sql("select tenant_id, kid, private_sealed from signing_key")
			.query((rs, n) -> this.masterKey.open(rs.getString("private_sealed"),
					context(rs.getString("tenant_id"), rs.getString("kid"))))
			.list();
	}

	public void forget(String tenantId) {
		String prefix = tenantId + "\n";
		this.active.keySet().removeIf(key -> key.startsWith(prefix));
		this.published.remove(tenantId);
	}

	private ActiveKey loadActive(String tenantId, SigningAlgorithm algorithm) {
		record Row(String kid, String sealed) {
		}
		List<Row> rows = this.jdbc
			.sql("select kid, private_sealed from signing_key where tenant_id = ? and algorithm = ? and status = ? order by created_at desc")
			.params(tenantId, algorithm.name(), CURRENT)
			.query((rs, n) -> new Row(rs.getString(1), rs.getString(2)))
			.list();
		if (rows.isEmpty()) {
			throw new IllegalStateException("Tenant " + tenantId + " has no current " + algorithm + " signing key");
		}
		Row row = rows.get(0);
		JWK jwk = parse(new String(this.masterKey.open(row.sealed(), context(tenantId, row.kid())),
				java.nio.charset.StandardCharsets.UTF_8));
		return new ActiveKey(row.kid(), algorithm, signer(jwk), jwk.toPublicJWK());
	}

	private static JWSSigner signer(JWK jwk) {
		try {
			return jwk instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) jwk);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Unusable signing key " + jwk.getKeyID(), ex);
		}
	}

	private static JWK generate(SigningAlgorithm algorithm) {
		String kid = UUID.randomUUID().toString();
		try {
			return switch (algorithm) {
				case RS256 -> new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm.jws()).generate();
				case ES256 -> new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm.jws()).generate();
			};
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot generate a " + algorithm + " key", ex);
		}
	}

	private static JWK parse(String json) {
		try {
			return JWK.parse(json);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("A stored key is not a JWK", ex);
		}
	}

	private static String context(String tenantId, String kid) {
		return "signing_key:" + tenantId + ":" + kid;
	}

}
