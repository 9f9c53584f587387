// Bybit v5, unified trading account: spot "BTC/USDT" and USDT linear perpetuals "BTC/USDT:USDT".
// Client ids are `orderLinkId`s (≤ 36 of [A-Za-z0-9_-]); /v5/order/realtime finds an order by one
// while it is open and among the account's last 500 closed orders, /v5/order/history after that
// (or after a Bybit restart, which empties realtime's closed list). Codes from Bybit's v5 docs.
import { z } from 'zod';
import type { KeyPermissions, MarginMode, OrderRequest } from '../../ports/exchange-gateway.js';
import { type CcxtExchange, type CcxtMarket, type CcxtOrder, ccxtClasses, ccxtErrors } from './ccxt.js';
import type {
  AccountMode,
  CcxtClientOptions,
  ExchangeProfile,
  ExchangeSpecificClass,
} from './exchange-profile.js';

type BybitClient = InstanceType<typeof ccxtClasses.bybit>;
type Market = NonNullable<CcxtMarket>;

/** Bybit's return codes the gateway must tell apart from what ccxt's error class says. */
const CODES: Readonly<Record<string, ExchangeSpecificClass>> = {
  // "OrderLinkedID is duplicate": the order was placed before (ccxt calls it InvalidOrder).
  '110072': 'duplicate-client-id',
  // "invalid request, please check your server timestamp or recv_window param".
  '10002': 'timestamp',
  // "Order does not exist" (derivatives, unified spot) and its classic-spot twin.
  '110001': 'not-found',
  '170213': 'not-found',
  // "Server Timeout" / "Internal system error": Bybit may or may not have taken the request.
  '10000': 'status-unknown',
  '10016': 'status-unknown',
};

const orderList = z.object({
  result: z.object({ list: z.array(z.record(z.string(), z.unknown())) }),
});

const apiKeyInfo = z.object({
  result: z.object({
    readOnly: z.coerce.number(),
    ips: z.array(z.string()).nullish(),
    permissions: z.record(z.string(), z.array(z.string()).nullish()).nullish(),
  }),
});

const accountInfo = z.object({ result: z.object({ marginMode: z.string() }) });

function bybit(client: CcxtExchange): BybitClient {
  if (!(client instanceof ccxtClasses.bybit))
    throw new Error('bybit profile: the client is not a ccxt bybit client');
  return client;
}

/** The market as Bybit's order endpoints name it: a category plus its own symbol. */
function where(market: Market): { category: 'spot' | 'linear' | 'inverse'; symbol: string } {
  return { category: category(market), symbol: market.id ?? market.symbol };
}

function category(market: Market): 'spot' | 'linear' | 'inverse' {
  if (market.spot) return 'spot';
  return market.linear ? 'linear' : 'inverse';
}

/** The retCode in a ccxt error; ccxt puts Bybit's raw reply after the exchange id in the message. */
function retCode(error: unknown): string | undefined {
  if (!(error instanceof ccxtErrors.BaseError)) return undefined;
  return /"retCode"\s*:\s*"?(\d+)/.exec(error.message)?.[1];
}

/** The first order a realtime or history query returns, parsed; null when it returns none. */
async function firstOrder(
  client: BybitClient,
  market: Market,
  query: (params: Record<string, string>) => Promise<unknown>,
  filter: Record<string, string>,
): Promise<CcxtOrder | null> {
  const reply = orderList.parse(await query({ ...where(market), ...filter }));
  const raw = reply.result.list[0];
  return raw ? client.parseOrder(raw, market) : null;
}

/** Open and recently closed orders first, then the order history. */
async function findOrder(client: CcxtExchange, market: Market, filter: Record<string, string>) {
  const b = bybit(client);
  return (
    (await firstOrder(b, market, (p) => b.privateGetV5OrderRealtime(p), filter)) ??
    (await firstOrder(b, market, (p) => b.privateGetV5OrderHistory(p), filter))
  );
}

const MARGIN_MODE: Readonly<Record<MarginMode, string>> = {
  isolated: 'ISOLATED_MARGIN',
  cross: 'REGULAR_MARGIN',
};

export const bybitProfile: ExchangeProfile = {
  id: 'bybit',
  clientOrderIdRule: { maxLength: 36, pattern: /^[A-Za-z0-9_-]{1,36}$/ },
  marketKinds: ['spot', 'swap'],

  createClient(mode: AccountMode, options: CcxtClientOptions) {
    const client = new ccxtClasses.bybit({
      apiKey: options.apiKey,
      secret: options.secret,
      timeout: options.timeout,
      enableRateLimit: options.enableRateLimit,
      // loadMarkets reads public instruments only: the coin list is a private call.
      has: { fetchCurrencies: false },
      options: {
        fetchMarkets: { types: ['spot', 'linear'] },
        // Unified trading accounts only: without these ccxt asks /v5/user/query-api and
        // /v5/account/info on the first private call whether the account is unified.
        enableUnifiedMargin: false,
        enableUnifiedAccount: true,
        recvWindow: 5000,
      },
    });
    // Bybit's demo trading (api-demo.bybit.com) runs on mainnet prices with a paper balance.
    if (mode === 'demo') client.enableDemoTrading(true);
    return client;
  },

  createParams(request: OrderRequest, market: CcxtMarket) {
    // ccxt sends `clientOrderId` as orderLinkId, and spot market orders with marketUnit=baseCoin
    // when no price is given, so the amount is always in base units.
    return {
      clientOrderId: request.clientOrderId,
      ...(market?.contract && request.reduceOnly ? { reduceOnly: true } : {}),
    };
  },

  // One unified wallet funds spot and perpetuals alike; it is reported once, as the spot wallet.
  balanceScopes: [{ wallet: 'spot', params: { type: 'unified' } }],

  async findById(client, market, orderId) {
    if (!market) return null;
    return findOrder(client, market, { orderId });
  },

  async findByClientId(client, market, clientOrderId) {
    if (!market) return null;
    return findOrder(client, market, { orderLinkId: clientOrderId });
  },

  async cancelByClientId(client, market, clientOrderId) {
    if (!market) return;
    await bybit(client).privatePostV5OrderCancel({ ...where(market), orderLinkId: clientOrderId });
  },

  classify(error: unknown) {
    const code = retCode(error);
    return code === undefined ? undefined : CODES[code];
  },

  async syncClock(client) {
    await client.loadTimeDifference();
  },

  async keyPermissions(client): Promise<KeyPermissions> {
    const { result } = apiKeyInfo.parse(await bybit(client).privateGetV5UserQueryApi());
    const permissions = result.permissions ?? {};
    const granted = (group: string) => permissions[group] ?? [];
    const wallet = granted('Wallet');
    const ips = result.ips ?? [];
    return {
      canRead: true,
      canTrade: result.readOnly === 0 && (granted('Spot').length > 0 || granted('ContractTrade').length > 0),
      canWithdraw: wallet.includes('Withdraw'),
      canTransfer: wallet.includes('AccountTransfer') || wallet.includes('SubMemberTransfer'),
      // Bybit lists "*" for a key open to every address.
      ipRestricted: ips.length > 0 && !ips.includes('*'),
      ips,
    };
  },

  async setLeverage(client, market, leverage, marginMode) {
    if (!market) return;
    // A unified account has one margin mode for all its perpetuals (/v5/account/set-margin-mode):
    // switch only when it differs, and take portfolio margin as cross, never downgrading it.
    const { result } = accountInfo.parse(await bybit(client).privateGetV5AccountInfo());
    const current = result.marginMode === 'PORTFOLIO_MARGIN' ? MARGIN_MODE.cross : result.marginMode;
    if (current !== MARGIN_MODE[marginMode]) await client.setMarginMode(marginMode, market.symbol);
    try {
      await client.setLeverage(leverage, market.symbol);
    } catch (error) {
      // 110043 "leverage not modified": it already is what we want.
      if (retCode(error) !== '110043') throw error;
    }
  },
};
