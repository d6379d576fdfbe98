package dev.foyer.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.foyer.config.FoyerProperties;
import dev.foyer.config.InvalidConfigurationException;

/**
 * The AES-256 key that seals secrets at rest (private signing keys first of all). It comes from
 * {@code FOYER_MASTER_KEY}; without it a generated key is kept in the data directory, which is fine for a
 * trial and wrong for production, so Foyer says so.
 * <p>
 * Rotation: {@code FOYER_MASTER_KEY_FALLBACKS} lists keys that still open (and verify) what they sealed but never
 * seal. A value that only a fallback opens is {@linkplain #resealed sealed again} under the current key at start, so
 * a fallback is needed only until every node has started with the new key.
 */
@Component
public class MasterKey {

	private static final Logger log = LoggerFactory.getLogger(MasterKey.class);

	private static final String FORMAT = "v1.";

	private static final int IV_BYTES = 12;

	private static final String FALLBACKS = "FOYER_MASTER_KEY_FALLBACKS (foyer.master-key-fallbacks)";

	private final SecretKey key;

	/** Keys that open but never seal, in the order given; none equals {@link #key}. */
	private final List<SecretKey> fallbacks;

	private final SecureRandom random = new SecureRandom();

	public MasterKey(FoyerProperties properties) {
		this.key = new SecretKeySpec(load(properties), "AES");
		this.fallbacks = fallbacks(properties.masterKeyFallbacks(), this.key);
	}

	private static List<SecretKey> fallbacks(List<String> configured, SecretKey current) {
		List<SecretKey> keys = new ArrayList<>();
		for (String encoded : configured == null ? List.<String>of() : configured) {
			if (encoded == null || encoded.isBlank()) {
				continue;
			}
			SecretKey fallback = new SecretKeySpec(decode(encoded.trim(), FALLBACKS), "AES");
			// The current key given again as a fallback (a rotation's last step done early) adds nothing.
			if (!MessageDigest.isEqual(fallback.getEncoded(), current.getEncoded()) && !keys.contains(fallback)) {
				keys.add(fallback);
			}
		}
		return List.copyOf(keys);
	}

	/** Whether fallback keys are configured, that is, a master-key rotation is under way. */
	public boolean rotating() {
		return !this.fallbacks.isEmpty();
	}

	private static byte[] load(FoyerProperties properties) {
		if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
			return decode(properties.masterKey().trim(), "FOYER_MASTER_KEY (foyer.master-key)");
		}
		Path file = properties.dataDir().resolve("master.key");
		try {
			if (Files.exists(file)) {
				return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
			}
			byte[] generated = new byte[32];
			new SecureRandom().nextBytes(generated);
			Files.createDirectories(properties.dataDir());
			Files.writeString(file, Base64.getEncoder().encodeToString(generated), StandardCharsets.US_ASCII,
					StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
			ownerOnly(file);
			log.warn("FOYER_MASTER_KEY is not set: generated a master key in {}. Anyone who can read that file can "
					+ "decrypt the signing keys; set FOYER_MASTER_KEY in production.", file.toAbsolutePath());
			return generated;
		}
		catch (IOException ex) {
			throw new InvalidConfigurationException("foyer.data-dir",
					"cannot read or write the master key file " + file.toAbsolutePath() + " (" + ex.getMessage() + ")",
					"Make the data directory writable, or set FOYER_MASTER_KEY.");
		}
	}

	static void ownerOnly(Path file) {
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException | IOException ex) {
			log.warn("Could not restrict {} to its owner: {}", file, ex.getMessage());
		}
	}

	private static byte[] decode(String encoded, String source) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(encoded);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException(source, "is not valid base64",
					"Generate one with: openssl rand -base64 32");
		}
		if (bytes.length != 32) {
			throw new InvalidConfigurationException(source, "must be 32 bytes (256 bits) in base64, found " + bytes.length + " bytes",
					"Generate one with: openssl rand -base64 32");
		}
		return bytes;
	}

	/**
	 * Encrypts with AES-256-GCM. The context is bound as additional authenticated data, so a sealed value
	 * copied to another row (another tenant's key, say) fails to open.
	 */
	public String seal(byte[] plaintext, String context) {
		try {
			byte[] iv = new byte[IV_BYTES];
			this.random.nextBytes(iv);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(128, iv));
			cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext);
			byte[] out = new byte[iv.length + sealed.length];
			System.arraycopy(iv, 0, out, 0, iv.length);
			System.arraycopy(sealed, 0, out, iv.length, sealed.length);
			return FORMAT + Base64.getEncoder().encodeToString(out);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
	}

	/**
	 * A keyed digest (HMAC-SHA-256 under a key derived from the master key) for short secrets such as 6-digit codes:
	 * a plain hash of a 6-digit code is reversed by trying a million values; this one needs the master key.
	 */
	public String mac(String purpose, String value) {
		return mac(this.key, purpose, value);
	}

	/**
	 * Whether {@code mac} is {@link #mac} of the value under the current key or a fallback: a code mailed just before a
	 * restart with a new master key still verifies.
	 */
	public boolean macMatches(String purpose, String value, String mac) {
		if (Digests.same(mac, mac(this.key, purpose, value))) {
			return true;
		}
		for (SecretKey fallback : this.fallbacks) {
			if (Digests.same(mac, mac(fallback, purpose, value))) {
				return true;
			}
		}
		return false;
	}

	private static String mac(SecretKey key, String purpose, String value) {
		try {
			javax.crypto.Mac derive = javax.crypto.Mac.getInstance("HmacSHA256");
			derive.init(key);
			byte[] subkey = derive.doFinal(("foyer-mac:" + purpose).getBytes(StandardCharsets.UTF_8));
			javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(subkey, "HmacSHA256"));
			return java.util.HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

	/** Opens a sealed value with the current key or, failing that, a fallback. */
	public byte[] open(String sealed, String context) {
		return opened(sealed, context).plaintext();
	}

	/**
	 * The value sealed under the current key, when only a fallback opens it; empty when the current key does. Throws
	 * as {@link #open} does when no key opens it.
	 */
	public Optional<String> resealed(String sealed, String context) {
		Opened opened = opened(sealed, context);
		return opened.byFallback() ? Optional.of(seal(opened.plaintext(), context)) : Optional.empty();
	}

	private record Opened(byte[] plaintext, boolean byFallback) {
	}

	private Opened opened(String sealed, String context) {
		if (sealed == null || !sealed.startsWith(FORMAT)) {
			throw new IllegalStateException("Unknown sealed value format");
		}
		byte[] all = Base64.getDecoder().decode(sealed.substring(FORMAT.length()));
		GeneralSecurityException failure = null;
		for (SecretKey candidate : keys()) {
			try {
				Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
				cipher.init(Cipher.DECRYPT_MODE, candidate, new GCMParameterSpec(128, all, 0, IV_BYTES));
				cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
				return new Opened(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), candidate != this.key);
			}
			catch (GeneralSecurityException ex) {
				// A GCM tag that does not verify: another key sealed it (or the context differs); try the next.
				failure = ex;
			}
		}
		throw new IllegalStateException("A sealed value does not open with this master key (" + context
				+ "): was FOYER_MASTER_KEY changed?", failure);
	}

	/** The current key first: after a rotation's start-up, everything is sealed under it. */
	private List<SecretKey> keys() {
		if (this.fallbacks.isEmpty()) {
			return List.of(this.key);
		}
		List<SecretKey> keys = new ArrayList<>(this.fallbacks.size() + 1);
		keys.add(this.key);
		keys.addAll(this.fallbacks);
		return keys;
	}

}
