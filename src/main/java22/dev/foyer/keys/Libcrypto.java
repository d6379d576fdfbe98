package dev.foyer.keys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * OpenSSL 3's libcrypto through the JDK's foreign function API, which is final from JDK 22: this file is compiled for
 * release 22 (src/main/java22) and only loaded by {@link OpenSsl} on such a JDK. Its constructor fails when the
 * library is missing or lacks a function, and {@link OpenSsl} then signs with the JDK.
 */
final class Libcrypto implements OpenSsl.Library {

	private static final Cleaner CLEANER = Cleaner.create();

	private final MethodHandle version;

	private final MethodHandle privateKeyFromDer;

	private final MethodHandle freeKey;

	private final MethodHandle newDigestContext;

	private final MethodHandle freeDigestContext;

	private final MethodHandle digestSignInit;

	private final MethodHandle digestSign;

	private final MethodHandle clearErrors;

	private final MethodHandle newKeyContext;

	private final MethodHandle freeKeyContext;

	private final MethodHandle keygenInit;

	private final MethodHandle setRsaBits;

	private final MethodHandle generate;

	private final MethodHandle toPkcs8;

	private final MethodHandle encodePkcs8;

	private final MethodHandle freePkcs8;

	private final MemorySegment sha256;

	private final MemorySegment sha384;

	private final MemorySegment sha512;

	Libcrypto() throws Throwable {
		Linker linker = Linker.nativeLinker();
		// OpenSSL 3 only: its soname says so, and the functions below exist in it under these names.
		SymbolLookup library = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
		this.version = handle(linker, library, "OpenSSL_version", FunctionDescriptor.of(ADDRESS, JAVA_INT));
		this.privateKeyFromDer = handle(linker, library, "d2i_AutoPrivateKey",
				FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
		this.freeKey = handle(linker, library, "EVP_PKEY_free", FunctionDescriptor.ofVoid(ADDRESS));
		this.newDigestContext = handle(linker, library, "EVP_MD_CTX_new", FunctionDescriptor.of(ADDRESS));
		this.freeDigestContext = handle(linker, library, "EVP_MD_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
		this.digestSignInit = handle(linker, library, "EVP_DigestSignInit",
				FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
		this.digestSign = handle(linker, library, "EVP_DigestSign",
				FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
		this.clearErrors = handle(linker, library, "ERR_clear_error", FunctionDescriptor.ofVoid());
		this.newKeyContext = handle(linker, library, "EVP_PKEY_CTX_new_from_name",
				FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
		this.freeKeyContext = handle(linker, library, "EVP_PKEY_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
		this.keygenInit = handle(linker, library, "EVP_PKEY_keygen_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
		this.setRsaBits = handle(linker, library, "EVP_PKEY_CTX_set_rsa_keygen_bits",
				FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
		this.generate = handle(linker, library, "EVP_PKEY_generate", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
		this.toPkcs8 = handle(linker, library, "EVP_PKEY2PKCS8", FunctionDescriptor.of(ADDRESS, ADDRESS));
		this.encodePkcs8 = handle(linker, library, "i2d_PKCS8_PRIV_KEY_INFO",
				FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
		// Frees and clears: OpenSSL wipes the key's encoding inside it before freeing it.
		this.freePkcs8 = handle(linker, library, "PKCS8_PRIV_KEY_INFO_free", FunctionDescriptor.ofVoid(ADDRESS));
		MethodHandle md256 = handle(linker, library, "EVP_sha256", FunctionDescriptor.of(ADDRESS));
		MethodHandle md384 = handle(linker, library, "EVP_sha384", FunctionDescriptor.of(ADDRESS));
		MethodHandle md512 = handle(linker, library, "EVP_sha512", FunctionDescriptor.of(ADDRESS));
		this.sha256 = (MemorySegment) md256.invokeExact();
		this.sha384 = (MemorySegment) md384.invokeExact();
		this.sha512 = (MemorySegment) md512.invokeExact();
	}

	private static MethodHandle handle(Linker linker, SymbolLookup library, String name, FunctionDescriptor descriptor) {
		return linker.downcallHandle(library.find(name)
			.orElseThrow(() -> new UnsatisfiedLinkError("libcrypto.so.3 has no " + name)), descriptor);
	}

	@Override
	public String version() {
		try {
			MemorySegment text = (MemorySegment) this.version.invokeExact(0); // OPENSSL_VERSION
			return text.reinterpret(256).getString(0);
		}
		catch (Throwable ex) {
			return "OpenSSL (version unknown)";
		}
	}

	@Override
	public JWSSigner rsaSigner(RSAPrivateCrtKey key) throws JOSEException {
		byte[] der = key.getEncoded();
		MemorySegment pkey;
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment buffer = arena.allocate(der.length);
			buffer.copyFrom(MemorySegment.ofArray(der));
			MemorySegment cursor = arena.allocate(ADDRESS);
			cursor.set(ADDRESS, 0, buffer);
			try {
				pkey = (MemorySegment) this.privateKeyFromDer.invokeExact(MemorySegment.NULL, cursor, (long) der.length);
			}
			catch (Throwable ex) {
				throw new JOSEException("OpenSSL could not read the key", ex);
			}
			finally {
				// The private key's encoding lives no longer than it takes OpenSSL to read it.
				buffer.fill((byte) 0);
				Arrays.fill(der, (byte) 0);
			}
		}
		if (pkey.equals(MemorySegment.NULL)) {
			clearErrors();
			throw new JOSEException("OpenSSL could not read the key");
		}
		return new RsaSigner(pkey, (key.getModulus().bitLength() + 7) / 8);
	}

	@Override
	public RSAPrivateCrtKey generateRsa(int bits) throws GeneralSecurityException {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment context = (MemorySegment) this.newKeyContext.invokeExact(MemorySegment.NULL,
					arena.allocateFrom("RSA"), MemorySegment.NULL);
			if (context.equals(MemorySegment.NULL)) {
				throw keygenFailure("could not make a key generation context");
			}
			MemorySegment pkey = MemorySegment.NULL;
			try {
				MemorySegment generated = arena.allocate(ADDRESS);
				generated.set(ADDRESS, 0, MemorySegment.NULL);
				if ((int) this.keygenInit.invokeExact(context) != 1 || (int) this.setRsaBits.invokeExact(context, bits) != 1
						|| (int) this.generate.invokeExact(context, generated) != 1) {
					throw keygenFailure("could not generate an RSA key");
				}
				pkey = generated.get(ADDRESS, 0);
				byte[] der = pkcs8(pkey, arena);
				try {
					return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
				}
				finally {
					Arrays.fill(der, (byte) 0);
				}
			}
			finally {
				if (!pkey.equals(MemorySegment.NULL)) {
					this.freeKey.invokeExact(pkey);
				}
				this.freeKeyContext.invokeExact(context);
			}
		}
		catch (GeneralSecurityException ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new GeneralSecurityException("OpenSSL could not generate an RSA key", ex);
		}
	}

	/** The key's PKCS #8 encoding, which the JDK reads; the native copy is wiped before it is freed. */
	private byte[] pkcs8(MemorySegment pkey, Arena arena) throws Throwable {
		MemorySegment info = (MemorySegment) this.toPkcs8.invokeExact(pkey);
		if (info.equals(MemorySegment.NULL)) {
			throw keygenFailure("could not encode the key");
		}
		try {
			int length = (int) this.encodePkcs8.invokeExact(info, MemorySegment.NULL);
			if (length <= 0) {
				throw keygenFailure("could not encode the key");
			}
			MemorySegment buffer = arena.allocate(length);
			MemorySegment cursor = arena.allocate(ADDRESS);
			cursor.set(ADDRESS, 0, buffer);
			try {
				if ((int) this.encodePkcs8.invokeExact(info, cursor) != length) {
					throw keygenFailure("could not encode the key");
				}
				return buffer.toArray(JAVA_BYTE);
			}
			finally {
				buffer.fill((byte) 0);
			}
		}
		finally {
			this.freePkcs8.invokeExact(info);
		}
	}

	private GeneralSecurityException keygenFailure(String what) {
		clearErrors();
		return new GeneralSecurityException("OpenSSL " + what);
	}

	private void clearErrors() {
		try {
			this.clearErrors.invokeExact();
		}
		catch (Throwable ex) {
			// nothing left to clear with
		}
	}

	/**
	 * Signs with one key held by OpenSSL. OpenSSL 3 lets threads share a key for signing; each signature has its own
	 * context. The key is freed (OpenSSL clears its private parts) once the signer is unreachable.
	 */
	private final class RsaSigner implements JWSSigner {

		private final MemorySegment pkey;

		private final int signatureLength;

		private final JCAContext jca = new JCAContext();

		RsaSigner(MemorySegment pkey, int signatureLength) {
			this.pkey = pkey;
			this.signatureLength = signatureLength;
			MethodHandle free = Libcrypto.this.freeKey;
			CLEANER.register(this, () -> {
				try {
					free.invokeExact(pkey);
				}
				catch (Throwable ex) {
					// a leak of one key is all that can happen here
				}
			});
		}

		@Override
		public Set<JWSAlgorithm> supportedJWSAlgorithms() {
			return OpenSsl.RSA_ALGORITHMS;
		}

		@Override
		public JCAContext getJCAContext() {
			return this.jca;
		}

		@Override
		public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
			MemorySegment digest = digest(header.getAlgorithm());
			try (Arena arena = Arena.ofConfined()) {
				MemorySegment context = (MemorySegment) Libcrypto.this.newDigestContext.invokeExact();
				if (context.equals(MemorySegment.NULL)) {
					throw new JOSEException("OpenSSL could not make a signing context");
				}
				try {
					if ((int) Libcrypto.this.digestSignInit.invokeExact(context, MemorySegment.NULL, digest,
							MemorySegment.NULL, this.pkey) != 1) {
						throw failure();
					}
					MemorySegment input = arena.allocate(Math.max(1, signingInput.length));
					input.copyFrom(MemorySegment.ofArray(signingInput));
					MemorySegment output = arena.allocate(this.signatureLength);
					MemorySegment length = arena.allocate(JAVA_LONG);
					length.set(JAVA_LONG, 0, this.signatureLength);
					if ((int) Libcrypto.this.digestSign.invokeExact(context, output, length, input,
							(long) signingInput.length) != 1) {
						throw failure();
					}
					return Base64URL.encode(output.asSlice(0, length.get(JAVA_LONG, 0)).toArray(JAVA_BYTE));
				}
				finally {
					Libcrypto.this.freeDigestContext.invokeExact(context);
				}
			}
			catch (JOSEException ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new JOSEException("OpenSSL could not sign", ex);
			}
			finally {
				// The key must outlive the native call that uses it (see the cleaner in the constructor).
				Reference.reachabilityFence(this);
			}
		}

		private JOSEException failure() {
			clearErrors();
			return new JOSEException("OpenSSL could not sign");
		}

		private MemorySegment digest(JWSAlgorithm algorithm) throws JOSEException {
			if (JWSAlgorithm.RS256.equals(algorithm)) {
				return Libcrypto.this.sha256;
			}
			if (JWSAlgorithm.RS384.equals(algorithm)) {
				return Libcrypto.this.sha384;
			}
			if (JWSAlgorithm.RS512.equals(algorithm)) {
				return Libcrypto.this.sha512;
			}
			throw new JOSEException("OpenSSL signs RS256, RS384 and RS512, not " + algorithm);
		}

	}

}
