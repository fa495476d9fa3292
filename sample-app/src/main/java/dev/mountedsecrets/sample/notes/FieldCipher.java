package dev.mountedsecrets.sample.notes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Encrypts a stored field with AES-256-GCM. The key is derived from the {@code crypto_key}
 * secret with HKDF-SHA256, so the secret file can hold any strong text.
 */
@Component
public class FieldCipher {

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private static final byte[] SALT = "mounted-secrets-sample".getBytes(StandardCharsets.UTF_8);

	private static final byte[] INFO = "notes.body aes-256-gcm".getBytes(StandardCharsets.UTF_8);

	private final SecretKeySpec key;

	private final SecureRandom random = new SecureRandom();

	public FieldCipher(@Value("${secrets.file.crypto_key}") String cryptoKey) {
		this.key = new SecretKeySpec(hkdf(cryptoKey.getBytes(StandardCharsets.UTF_8)), "AES");
	}

	/**
	 * Encrypt a text.
	 * @param plain the text
	 * @return Base64 of nonce and ciphertext
	 */
	public String encrypt(String plain) {
		try {
			byte[] nonce = new byte[NONCE_BYTES];
			this.random.nextBytes(nonce);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, nonce));
			byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
				.put(nonce)
				.put(sealed)
				.array());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not encrypt a field", ex);
		}
	}

	/**
	 * Decrypt a text produced by {@link #encrypt(String)}.
	 * @param encrypted Base64 of nonce and ciphertext
	 * @return the text
	 */
	public String decrypt(String encrypted) {
		try {
			byte[] all = Base64.getDecoder().decode(encrypted);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
			return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not decrypt a field (was crypto_key changed?)", ex);
		}
	}

	private static byte[] hkdf(byte[] inputKey) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(SALT, "HmacSHA256"));
			byte[] pseudoRandomKey = mac.doFinal(inputKey);
			mac.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA256"));
			mac.update(INFO);
			mac.update((byte) 1);
			return mac.doFinal();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not derive the field key", ex);
		}
	}

	@Override
	public String toString() {
		return "FieldCipher[AES-256-GCM, key derived from crypto_key]";
	}

}
