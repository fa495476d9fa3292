package dev.mountedsecrets.jdbc;

import java.sql.SQLException;

/**
 * Thrown at start-up when the database refuses a user name and password. Names the user, the
 * property of the user name and the secret file of the password; the database's message
 * names no password either.
 *
 * @see DatabaseLoginFailureAnalyzer
 */
public class DatabaseLoginException extends RuntimeException {

	private final String username;

	private final String usernameProperty;

	private final String passwordSource;

	/**
	 * Create an exception for the application's DataSource.
	 * @param username the user name the DataSource logs in with
	 * @param passwordSource where the password comes from, e.g. the secret file
	 * @param cause the database's refusal
	 */
	public DatabaseLoginException(String username, String passwordSource, SQLException cause) {
		this(username, "spring.datasource.username", passwordSource, cause);
	}

	/**
	 * Create an exception.
	 * @param username the user name that was refused
	 * @param usernameProperty the property that sets the user name
	 * @param passwordSource where the password comes from: its property and secret file
	 * @param cause the database's refusal
	 */
	public DatabaseLoginException(String username, String usernameProperty, String passwordSource,
			SQLException cause) {
		super("The database refused the login of '" + username + "' with the password in " + passwordSource + ": "
				+ cause.getMessage() + " [SQL state " + cause.getSQLState() + "]", cause);
		this.username = username;
		this.usernameProperty = usernameProperty;
		this.passwordSource = passwordSource;
	}

	public String getUsername() {
		return this.username;
	}

	public String getUsernameProperty() {
		return this.usernameProperty;
	}

	public String getPasswordSource() {
		return this.passwordSource;
	}

}
