package dev.mountedsecrets.jdbc;

import java.sql.SQLException;

/**
 * Thrown at start-up when the database refuses the application's user name and password.
 * Names the user and the secret file of the password; the database's message names no
 * password either.
 *
 * @see DatabaseLoginFailureAnalyzer
 */
public class DatabaseLoginException extends RuntimeException {

	private final String username;

	private final String passwordSource;

	/**
	 * Create an exception.
	 * @param username the user name the DataSource logs in with
	 * @param passwordSource where the password comes from, e.g. the secret file
	 * @param cause the database's refusal
	 */
	public DatabaseLoginException(String username, String passwordSource, SQLException cause) {
		super("The database refused the login of '" + username + "' with the password in " + passwordSource + ": "
				+ cause.getMessage() + " [SQL state " + cause.getSQLState() + "]", cause);
		this.username = username;
		this.passwordSource = passwordSource;
	}

	public String getUsername() {
		return this.username;
	}

	public String getPasswordSource() {
		return this.passwordSource;
	}

}
