/**
 * The optional event trigger the README tells users to install for watch mode: it NOTIFYs `plugboard_ddl`
 * with the command tag after every DDL command. Creating an event trigger takes a superuser.
 */
export const DDL_TRIGGER_SQL = `
CREATE FUNCTION plugboard_notify_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('plugboard_ddl', tg_tag);
END $$;
CREATE EVENT TRIGGER plugboard_ddl ON ddl_command_end EXECUTE FUNCTION plugboard_notify_ddl();`;
