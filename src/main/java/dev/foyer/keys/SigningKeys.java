package dev.foyer.keys;

import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import dev.foyer.cluster.CacheChanges;
import dev.foyer.cluster.NodeCache;

/**
 * Per-tenant token signing keys. Private keys are stored sealed under the {@link MasterKey}; the public half is
 * stored as a JWK. Signers and the published key set are served from memory, loaded together per tenant and
 * dropped on every node after a rotation.
 */
@Service
public class SigningKeys {

	private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

	static final String CURRENT = "current";

	/** Published before use, so that relying parties have it cached when it becomes current. */
	static final String NEXT = "next";

	/** Retired from signing, still published until the next rotation, so that tokens it signed stay valid. */
	static final String PREVIOUS = "previous";

	private final JdbcClient jdbc;

	private final MasterKey masterKey;

	/** What a tenant signs with now, per algorithm, and what it publishes. */
	private record TenantKeys(Map<SigningAlgorithm, ActiveKey> active, JWKSet published) {
	}

	private final NodeCache<TenantKeys> keys;

	/** Who makes the signatures: OpenSSL for RSA where it can (foyer.crypto.openssl), else the JDK. */
	private final OpenSsl signers;

	public SigningKeys(JdbcClient jdbc, MasterKey masterKey, CacheChanges changes,
			@Value("${foyer.crypto.openssl:auto}") String openssl) {
		this.jdbc = jdbc;
		this.masterKey = masterKey;
		this.keys = changes.cache("signing-keys");
		this.signers = OpenSsl.forSetting(openssl);
		log.info("RSA signatures by {}", this.signers.rsaSignatures());
	}

	/**
	 * Generates a new tenant's keys, within the caller's transaction: for each algorithm a current key and a next
	 * one, so that every tenant can sign with RS256 or ES256 as its apps ask.
	 */
	public void createInitialKeys(String tenantId) {
		// Generating an RSA key takes up to hundreds of milliseconds, most of a tenant's creation (and of Foyer's
		// first start): the four keys are generated at once on the CPUs, then stored here, in the caller's transaction.
		// RSA keys come from OpenSSL where it signs (OpenSsl.generateRsa).
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
		forget(tenantId);
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
		ActiveKey key = tenantKeys(tenantId).map(keys -> keys.active().get(algorithm)).orElse(null);
		if (key == null) {
			throw new IllegalStateException("Tenant " + tenantId + " has no current " + algorithm + " signing key");
		}
		return key;
	}

	/** The public keys a relying party may meet in the tenant's tokens: next, current and previous. */
	public JWKSet publicKeys(String tenantId) {
		return tenantKeys(tenantId).map(TenantKeys::published).orElseGet(() -> new JWKSet(List.of()));
	}

	/**
	 * Opens every private key with the master key, so that a wrong FOYER_MASTER_KEY is found at start-up, and seals
	 * again under the current master key each one that only a fallback key opens (a master-key rotation). Throws
	 * {@link IllegalStateException} when a key opens with none.
	 */
	public void verifyAll() {
		record Sealed(String tenantId, String kid, String sealed) {
		}
		List<Sealed> stored = this.jdbc.sql("select tenant_id, kid, private_sealed from signing_key")
			.query((rs, n) -> new Sealed(rs.getString("tenant_id"), rs.getString("kid"), rs.getString("private_sealed")))
			.list();
		int resealed = 0;
		for (Sealed key : stored) {
			Optional<String> again = this.masterKey.resealed(key.sealed(), context(key.tenantId(), key.kid()));
			if (again.isPresent()) {
				// Only if no other node sealed it again meanwhile: the value compared is the one that was opened.
				resealed += this.jdbc
					.sql("update signing_key set private_sealed = ? where tenant_id = ? and kid = ? and private_sealed = ?")
					.params(again.get(), key.tenantId(), key.kid(), key.sealed())
					.update();
			}
		}
		if (resealed > 0) {
			log.info("Master-key rotation: sealed {} of {} private signing keys again under FOYER_MASTER_KEY; they were "
					+ "sealed under a key in FOYER_MASTER_KEY_FALLBACKS", resealed, stored.size());
		}
		if (this.masterKey.rotating()) {
			log.info("Master-key rotation under way (FOYER_MASTER_KEY_FALLBACKS is set): once every node has started "
					+ "with the new FOYER_MASTER_KEY, remove FOYER_MASTER_KEY_FALLBACKS (docs/operations.md#rotating-the-master-key)");
		}
	}

	/**
	 * Drops what every node holds of the tenant's keys, once the current transaction commits: after a rotation, new
	 * keys, or the tenant's deletion.
	 */
	public void forget(String tenantId) {
		this.keys.changed(tenantId);
	}

	private Optional<TenantKeys> tenantKeys(String tenantId) {
		return this.keys.get(tenantId, this::load);
	}

	/** One query for everything of a tenant's keys; none at all (an unknown tenant) is not cached. */
	private Optional<TenantKeys> load(String tenantId) {
		record Row(String kid, SigningAlgorithm algorithm, String status, String publicJwk, String sealed) {
		}
		List<Row> rows = this.jdbc
			.sql("select kid, algorithm, status, public_jwk, private_sealed from signing_key where tenant_id = ? order by algorithm, created_at desc")
			.param(tenantId)
			.query((rs, n) -> new Row(rs.getString(1), SigningAlgorithm.valueOf(rs.getString(2)), rs.getString(3),
					rs.getString(4), rs.getString(5)))
			.list();
		if (rows.isEmpty()) {
			return Optional.empty();
		}
		Map<SigningAlgorithm, ActiveKey> active = new EnumMap<>(SigningAlgorithm.class);
		for (Row row : rows) {
			// Newest first: should a tenant ever hold two current keys of an algorithm, the newest signs.
			if (CURRENT.equals(row.status()) && !active.containsKey(row.algorithm())) {
				JWK jwk = parse(new String(this.masterKey.open(row.sealed(), context(tenantId, row.kid())),
						java.nio.charset.StandardCharsets.UTF_8));
				active.put(row.algorithm(), new ActiveKey(row.kid(), row.algorithm(), signer(jwk), jwk.toPublicJWK()));
			}
		}
		return Optional.of(new TenantKeys(Map.copyOf(active), new JWKSet(rows.stream().map(row -> parse(row.publicJwk())).toList())));
	}

	private JWSSigner signer(JWK jwk) {
		try {
			return this.signers.signer(jwk);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Unusable signing key " + jwk.getKeyID(), ex);
		}
	}

	private JWK generate(SigningAlgorithm algorithm) {
		String kid = UUID.randomUUID().toString();
		try {
			return switch (algorithm) {
				case RS256 -> this.signers.generateRsa(2048, kid, algorithm.jws());
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
