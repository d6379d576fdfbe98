package dev.foyer.directory;

/** The directory roles of admin accounts and service applications, after Entra's built-in roles. */
public enum DirectoryRole {

	/** Everything, in every tenant; only held in the admin tenant. */
	GLOBAL_ADMINISTRATOR,
	/** Everything within its own tenant. */
	TENANT_ADMINISTRATOR,
	/** Accounts and groups within its own tenant. */
	USER_ADMINISTRATOR,
	/** Applications within its own tenant. */
	APPLICATION_ADMINISTRATOR

}
