/** The owner and app role connection strings for a server and database. */
export function roleUrls(o: {
  host: string;
  port: number;
  database: string;
  ownerPassword: string;
  appPassword: string;
}) {
  const url = (user: string, password: string) =>
    `postgres://${user}:${encodeURIComponent(password)}@${o.host}:${o.port}/${o.database}`;
  return { ownerUrl: url('zakpos_owner', o.ownerPassword), appUrl: url('zakpos_app', o.appPassword) };
}
