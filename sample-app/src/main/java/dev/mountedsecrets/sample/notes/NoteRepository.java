package dev.mountedsecrets.sample.notes;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Notes of one tenant. Every method runs in a transaction that first sets
 * {@code app.tenant}, so that PostgreSQL's row-level security policy shows and accepts that
 * tenant's rows only; the pool's role, {@code app_user}, cannot bypass it.
 */
@Repository
public class NoteRepository {

	private final JdbcClient jdbc;

	private final FieldCipher cipher;

	public NoteRepository(JdbcClient jdbc, FieldCipher cipher) {
		this.jdbc = jdbc;
		this.cipher = cipher;
	}

	@Transactional
	public long add(String tenant, String body) {
		useTenant(tenant);
		return this.jdbc.sql("INSERT INTO notes (tenant, body_encrypted) VALUES (?, ?) RETURNING id")
			.params(tenant, this.cipher.encrypt(body))
			.query(Long.class)
			.single();
	}

	@Transactional(readOnly = true)
	public List<Note> findAll(String tenant) {
		useTenant(tenant);
		return this.jdbc.sql("SELECT id, tenant, body_encrypted FROM notes ORDER BY id")
			.query((rs, row) -> new Note(rs.getLong(1), rs.getString(2), this.cipher.decrypt(rs.getString(3))))
			.list();
	}

	private void useTenant(String tenant) {
		this.jdbc.sql("SELECT set_config('app.tenant', ?, true)").param(tenant).query(String.class).single();
	}

	/**
	 * A note, decrypted.
	 *
	 * @param id the note's id
	 * @param tenant the tenant that owns it
	 * @param body its text
	 */
	public record Note(long id, String tenant, String body) {

	}

}
