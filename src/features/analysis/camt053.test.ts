import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedRow, Transaction } from '../../domain/analysis/transaction.js';
import {
  Camt053TransactionReader,
  decimalToMinor,
  domainChannel,
  MAX_TEXT_CHARS,
  parseTransactionsCamt053,
  proprietaryChannel,
} from './camt053.js';
import {
  camt053Document,
  camt053Entry,
  camt053Footer,
  camt053Header,
  camt053StatementEnd,
  camt053StatementStart,
  camt053Statements,
} from './camt053-writer.js';
import { parseTransactionsCsv } from './csv.js';
import { csvLine, type GenRow, generateCustomer } from './generator.js';

/** Reads a document with the push reader, fed in chunks of the given sizes (cycled). */
function read(input: string | Uint8Array, sizes: readonly number[] = [1 << 16]): ParsedRow[] {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const out: ParsedRow[] = [];
  const reader = new Camt053TransactionReader(
    (txn, line) => out.push({ ok: true, line, txn }),
    (error) => out.push({ ok: false, error }),
  );
  let pos = 0;
  for (let k = 0; pos < bytes.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length] ?? 1);
    reader.push(bytes.subarray(pos, pos + size));
    pos += size;
  }
  reader.end();
  const good = out.filter((r) => r.ok).length;
  expect(reader.rows).toBe(good);
  expect(reader.bad).toBe(out.length - good);
  expect(reader.bytes).toBe(bytes.length);
  return out;
}

/** Live heap after a full collection: gc() is exposed to a fresh context once the flag is set. */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc === 'function') gc();
  return process.memoryUsage().heapUsed;
}

/** The 1-based line of the n-th (0-based) occurrence of a text. */
function lineOf(doc: string, needle: string, n = 0): number {
  let at = -1;
  for (let k = 0; k <= n; k++) at = doc.indexOf(needle, at + 1);
  return doc.slice(0, at).split('\n').length;
}

const txns = (rows: ParsedRow[]): Transaction[] => rows.flatMap((r) => (r.ok ? [r.txn] : []));
const errors = (rows: ParsedRow[]) => rows.flatMap((r) => (r.ok ? [] : [r.error]));

// A European bank's camt.053.001.02: IBANs, dates without times, entity references, a batch.
const V02 = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>STMT-2025-06-02-0001</MsgId>
      <CreDtTm>2025-06-02T06:00:00+02:00</CreDtTm>
      <MsgPgntn><PgNb>1</PgNb><LastPgInd>true</LastPgInd></MsgPgntn>
    </GrpHdr>
    <Stmt>
      <Id>DE89370400440532013000-2025-06-01</Id>
      <ElctrncSeqNb>152</ElctrncSeqNb>
      <CreDtTm>2025-06-02T06:00:00+02:00</CreDtTm>
      <FrToDt><FrDtTm>2025-06-01T00:00:00+02:00</FrDtTm><ToDtTm>2025-06-01T23:59:59+02:00</ToDtTm></FrToDt>
      <Acct>
        <Id><IBAN>DE89370400440532013000</IBAN></Id>
        <Ccy>EUR</Ccy>
        <Ownr>
          <Nm>Erika Mustermann</Nm>
          <Id><PrvtId><Othr><Id>C0000042</Id><SchmeNm><Cd>CUST</Cd></SchmeNm></Othr></PrvtId></Id>
        </Ownr>
        <Svcr><FinInstnId><BIC>COBADEFFXXX</BIC></FinInstnId></Svcr>
      </Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">1520.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-06-01</Dt></Dt>
      </Bal>
      <Ntry>
        <NtryRef>1</NtryRef>
        <Amt Ccy="EUR">42.50</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2025-06-01</Dt></BookgDt>
        <ValDt><Dt>2025-06-01</Dt></ValDt>
        <AcctSvcrRef>2025060100001</AcctSvcrRef>
        <BkTxCd>
          <Domn><Cd>PMNT</Cd><Fmly><Cd>CCRD</Cd><SubFmlyCd>POSD</SubFmlyCd></Fmly></Domn>
        </BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="EUR">42.50</Amt></TxAmt></AmtDtls>
            <BkTxCd><Prtry><Cd>5812</Cd><Issr>ISO 18245</Issr></Prtry></BkTxCd>
            <RltdPties>
              <Cdtr><Nm>Caf&#233; Z&#xFC;rich &amp; S&#246;hne &lt;GmbH&gt;</Nm></Cdtr>
            </RltdPties>
            <RmtInf><Ustrd>Kartenzahlung 01.06. 12:31</Ustrd></RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
      <Ntry>
        <NtryRef>2</NtryRef>
        <Amt Ccy="EUR">3100.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2025-06-01</Dt></BookgDt>
        <AcctSvcrRef>2025060100002</AcctSvcrRef>
        <BkTxCd>
          <Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn>
          <Prtry><Cd>NTRF+166</Cd><Issr>DK</Issr></Prtry>
        </BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>SAL-2025-06</EndToEndId></Refs>
            <RltdPties>
              <Dbtr><Nm>Musterfirma AG</Nm></Dbtr>
              <DbtrAcct><Id><IBAN>DE02100100109307118603</IBAN></Id></DbtrAcct>
              <Cdtr><Nm>Erika Mustermann</Nm></Cdtr>
            </RltdPties>
            <RmtInf><Ustrd>Gehalt Juni 2025 Personalnummer 4711 Abrechnung</Ustrd><Ustrd> folgt separat</Ustrd></RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
      <Ntry>
        <NtryRef>3</NtryRef>
        <Amt Ccy="EUR">300.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2025-06-01</Dt></BookgDt>
        <AcctSvcrRef>2025060100003</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <Btch><NbOfTxs>2</NbOfTxs></Btch>
          <TxDtls>
            <Refs><AcctSvcrRef>2025060100003-A</AcctSvcrRef><EndToEndId>RENT-06</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="EUR">100.00</Amt></TxAmt></AmtDtls>
            <RltdPties>
              <Cdtr><Nm>Hausverwaltung M&#252;ller</Nm></Cdtr>
              <CdtrAcct><Id><IBAN>DE12500105170648489890</IBAN></Id></CdtrAcct>
            </RltdPties>
            <RmtInf><Ustrd>Miete Garage</Ustrd></RmtInf>
          </TxDtls>
          <TxDtls>
            <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="EUR">200.00</Amt></TxAmt></AmtDtls>
            <RltdPties>
              <Cdtr><Nm>Stadtwerke</Nm></Cdtr>
              <CdtrAcct><Id><Othr><Id>4711-0815</Id></Othr></Id></CdtrAcct>
            </RltdPties>
          </TxDtls>
        </NtryDtls>
        <AddtlNtryInf>SAMMLER 2 POSTEN</AddtlNtryInf>
      </Ntry>
      <Ntry>
        <NtryRef>4</NtryRef>
        <Amt Ccy="EUR">19.99</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>PDNG</Sts>
        <BookgDt><Dt>2025-06-01</Dt></BookgDt>
        <AcctSvcrRef>2025060100004</AcctSvcrRef>
      </Ntry>
      <Ntry>
        <NtryRef>5</NtryRef>
        <Amt Ccy="EUR">12.345</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2025-06-01</Dt></BookgDt>
        <AcctSvcrRef>2025060100005</AcctSvcrRef>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">5.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2025-06-01</Dt></BookgDt>
      </Ntry>
      <Ntry>
        <NtryRef>7</NtryRef>
        <Amt Ccy="EUR">200</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><DtTm>2025-06-01T22:15:00</DtTm></BookgDt>
        <AcctSvcrRef>2025060100007</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>CCRD</Cd><SubFmlyCd>CWDL</SubFmlyCd></Fmly></Domn></BkTxCd>
        <AddtlNtryInf><![CDATA[GA 01.06 22:15 <Hauptbahnhof> & Co]]></AddtlNtryInf>
      </Ntry>
      <Ntry>
        <NtryRef>8</NtryRef>
        <Amt Ccy="EUR">61.20</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2025-06-01</Dt></BookgDt>
        <BkTxCd><Prtry><Cd>NDDT+105</Cd><Issr>DK</Issr></Prtry></BkTxCd>
        <NtryDtls><TxDtls>
          <RltdPties><Cdtr><Nm>Stadtwerke</Nm></Cdtr></RltdPties>
          <AddtlTxInf>Lastschrift Strom</AddtlTxInf>
        </TxDtls></NtryDtls>
      </Ntry>
      <AddtlStmtInf>Kontoauszug 152</AddtlStmtInf>
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;

// A Chinese bank's camt.053.001.08 with a namespace prefix: Othr account ids, Pty names, times with zones.
const V08 = `<?xml version="1.0" encoding="utf-8"?>
<camt:Document xmlns:camt="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
<camt:BkToCstmrStmt>
<camt:GrpHdr><camt:MsgId>HZB20250601</camt:MsgId><camt:CreDtTm>2025-06-02T01:00:00+08:00</camt:CreDtTm></camt:GrpHdr>
<camt:Stmt>
<camt:Id>621700000000421-20250601</camt:Id>
<camt:CreDtTm>2025-06-02T01:00:00+08:00</camt:CreDtTm>
<camt:Acct>
  <camt:Id><camt:Othr><camt:Id>621700000000421</camt:Id></camt:Othr></camt:Id>
  <camt:Ccy>CNY</camt:Ccy>
  <camt:Ownr><camt:Nm>王芳</camt:Nm><camt:Id><camt:OrgId><camt:Othr><camt:Id>G00000042</camt:Id></camt:Othr></camt:OrgId></camt:Id></camt:Ownr>
</camt:Acct>
<camt:Bal><camt:Tp><camt:CdOrPrtry><camt:Cd>OPBD</camt:Cd></camt:CdOrPrtry></camt:Tp><camt:Amt Ccy="CNY">8000.00</camt:Amt><camt:CdtDbtInd>CRDT</camt:CdtDbtInd><camt:Dt><camt:Dt>2025-06-01</camt:Dt></camt:Dt></camt:Bal>
<camt:Ntry>
  <camt:NtryRef>0001</camt:NtryRef>
  <camt:Amt Ccy="CNY">128.60</camt:Amt>
  <camt:CdtDbtInd>DBIT</camt:CdtDbtInd>
  <camt:Sts><camt:Cd>BOOK</camt:Cd></camt:Sts>
  <camt:BookgDt><camt:DtTm>2025-06-01T10:31:05+08:00</camt:DtTm></camt:BookgDt>
  <camt:AcctSvcrRef>HZB-0601-0001</camt:AcctSvcrRef>
  <camt:BkTxCd><camt:Domn><camt:Cd>PMNT</camt:Cd><camt:Fmly><camt:Cd>CCRD</camt:Cd><camt:SubFmlyCd>POSD</camt:SubFmlyCd></camt:Fmly></camt:Domn></camt:BkTxCd>
  <camt:NtryDtls><camt:TxDtls>
    <camt:Refs><camt:EndToEndId>NOTPROVIDED</camt:EndToEndId></camt:Refs>
    <camt:Amt Ccy="CNY">128.60</camt:Amt><camt:CdtDbtInd>DBIT</camt:CdtDbtInd>
    <camt:BkTxCd><camt:Prtry><camt:Cd>5411</camt:Cd><camt:Issr>ISO18245</camt:Issr></camt:Prtry></camt:BkTxCd>
    <camt:RltdPties><camt:Cdtr><camt:Pty><camt:Nm>华润万家 "超市" 🛒</camt:Nm></camt:Pty></camt:Cdtr></camt:RltdPties>
    <camt:RmtInf><camt:Ustrd>超市购物</camt:Ustrd></camt:RmtInf>
  </camt:TxDtls></camt:NtryDtls>
</camt:Ntry>
<camt:Ntry>
  <camt:NtryRef>0002</camt:NtryRef>
  <camt:Amt Ccy="CNY">300000</camt:Amt>
  <camt:CdtDbtInd>CRDT</camt:CdtDbtInd>
  <camt:Sts><camt:Cd>BOOK</camt:Cd></camt:Sts>
  <camt:BookgDt><camt:DtTm>2025-06-01T14:00:00.250+08:00</camt:DtTm></camt:BookgDt>
  <camt:AcctSvcrRef>HZB-0601-0002</camt:AcctSvcrRef>
  <camt:BkTxCd><camt:Domn><camt:Cd>PMNT</camt:Cd><camt:Fmly><camt:Cd>RCDT</camt:Cd><camt:SubFmlyCd>DMCT</camt:SubFmlyCd></camt:Fmly></camt:Domn></camt:BkTxCd>
  <camt:NtryDtls><camt:TxDtls>
    <camt:Refs><camt:EndToEndId>CLAIM-88</camt:EndToEndId></camt:Refs>
    <camt:RltdPties>
      <camt:Dbtr><camt:Pty><camt:Nm>安康人寿保险股份有限公司</camt:Nm></camt:Pty></camt:Dbtr>
      <camt:DbtrAcct><camt:Id><camt:Othr><camt:Id>1100100012345678</camt:Id></camt:Othr></camt:Id></camt:DbtrAcct>
    </camt:RltdPties>
    <camt:RmtInf><camt:Ustrd>重大疾病保险理赔款</camt:Ustrd></camt:RmtInf>
  </camt:TxDtls></camt:NtryDtls>
</camt:Ntry>
<camt:Ntry>
  <camt:NtryRef>0003</camt:NtryRef>
  <camt:Amt Ccy="CNY">2000.00</camt:Amt>
  <camt:CdtDbtInd>DBIT</camt:CdtDbtInd>
  <camt:Sts><camt:Cd>BOOK</camt:Cd></camt:Sts>
  <camt:BookgDt><camt:DtTm>2025-06-01T21:40:00+08:00</camt:DtTm></camt:BookgDt>
  <camt:AcctSvcrRef>HZB-0601-0003</camt:AcctSvcrRef>
  <camt:BkTxCd>
    <camt:Domn><camt:Cd>PMNT</camt:Cd><camt:Fmly><camt:Cd>ICDT</camt:Cd><camt:SubFmlyCd>DMCT</camt:SubFmlyCd></camt:Fmly></camt:Domn>
    <camt:Prtry><camt:Cd>ONLINE</camt:Cd></camt:Prtry>
  </camt:BkTxCd>
  <camt:NtryDtls><camt:TxDtls>
    <camt:RltdPties>
      <camt:Cdtr><camt:Pty><camt:Nm>李伟</camt:Nm></camt:Pty></camt:Cdtr>
      <camt:CdtrAcct><camt:Id><camt:Othr><camt:Id>6222000011112222</camt:Id></camt:Othr></camt:Id></camt:CdtrAcct>
    </camt:RltdPties>
    <camt:RmtInf><camt:Ustrd>转账</camt:Ustrd></camt:RmtInf>
  </camt:TxDtls></camt:NtryDtls>
</camt:Ntry>
<camt:Ntry>
  <camt:NtryRef>0004</camt:NtryRef>
  <camt:Amt Ccy="CNY">1500.00</camt:Amt>
  <camt:CdtDbtInd>DBIT</camt:CdtDbtInd>
  <camt:Sts><camt:Cd>BOOK</camt:Cd></camt:Sts>
  <camt:BookgDt><camt:DtTm>2025-06-01T09:00:00Z</camt:DtTm></camt:BookgDt>
  <camt:BkTxCd><camt:Domn><camt:Cd>PMNT</camt:Cd><camt:Fmly><camt:Cd>ICDT</camt:Cd><camt:SubFmlyCd>BOOK</camt:SubFmlyCd></camt:Fmly></camt:Domn></camt:BkTxCd>
  <camt:NtryDtls>
    <camt:TxDtls>
      <camt:Refs><camt:AcctSvcrRef>HZB-0601-0004-1</camt:AcctSvcrRef></camt:Refs>
      <camt:Amt Ccy="CNY">1000.00</camt:Amt><camt:CdtDbtInd>DBIT</camt:CdtDbtInd>
      <camt:RltdPties><camt:Cdtr><camt:Pty><camt:Nm>西湖人民医院</camt:Nm></camt:Pty></camt:Cdtr></camt:RltdPties>
      <camt:RmtInf><camt:Ustrd>住院押金</camt:Ustrd></camt:RmtInf>
    </camt:TxDtls>
    <camt:TxDtls>
      <camt:Refs><camt:AcctSvcrRef>HZB-0601-0004-2</camt:AcctSvcrRef></camt:Refs>
      <camt:Amt Ccy="CNY">500.00</camt:Amt><camt:CdtDbtInd>DBIT</camt:CdtDbtInd>
      <camt:BkTxCd><camt:Prtry><camt:Cd>8062</camt:Cd><camt:Issr>ISO 18245</camt:Issr></camt:Prtry></camt:BkTxCd>
      <camt:RltdPties><camt:Cdtr><camt:Pty><camt:Nm>西湖人民医院</camt:Nm></camt:Pty></camt:Cdtr></camt:RltdPties>
    </camt:TxDtls>
  </camt:NtryDtls>
  <camt:AddtlNtryInf>医疗费用</camt:AddtlNtryInf>
</camt:Ntry>
<camt:Ntry>
  <camt:NtryRef>0005</camt:NtryRef>
  <camt:Amt Ccy="CNY">99.00</camt:Amt>
  <camt:CdtDbtInd>DBIT</camt:CdtDbtInd>
  <camt:Sts><camt:Cd>PDNG</camt:Cd></camt:Sts>
  <camt:BookgDt><camt:DtTm>2025-06-01T23:00:00+08:00</camt:DtTm></camt:BookgDt>
  <camt:AcctSvcrRef>HZB-0601-0005</camt:AcctSvcrRef>
</camt:Ntry>
<camt:Ntry>
  <camt:NtryRef>0006</camt:NtryRef>
  <camt:Amt Ccy="CNY">0.00</camt:Amt>
  <camt:CdtDbtInd>CRDT</camt:CdtDbtInd>
  <camt:Sts><camt:Cd>BOOK</camt:Cd></camt:Sts>
  <camt:BookgDt><camt:Dt>2025-06-01</camt:Dt></camt:BookgDt>
  <camt:AcctSvcrRef>HZB-0601-0006</camt:AcctSvcrRef>
</camt:Ntry>
<camt:Ntry>
  <camt:NtryRef>0007</camt:NtryRef>
  <camt:Amt Ccy="CNY">-5.00</camt:Amt>
  <camt:CdtDbtInd>DBIT</camt:CdtDbtInd>
  <camt:Sts><camt:Cd>BOOK</camt:Cd></camt:Sts>
  <camt:BookgDt><camt:Dt>2025-06-01</camt:Dt></camt:BookgDt>
  <camt:AcctSvcrRef>HZB-0601-0007</camt:AcctSvcrRef>
</camt:Ntry>
<camt:Ntry>
  <camt:NtryRef>0008</camt:NtryRef>
  <camt:Amt Ccy="CNY">50000.00</camt:Amt>
  <camt:CdtDbtInd>DBIT</camt:CdtDbtInd>
  <camt:Sts><camt:Cd>BOOK</camt:Cd></camt:Sts>
  <camt:BookgDt><camt:DtTm>2025-06-01T15:10:00+08:00</camt:DtTm></camt:BookgDt>
  <camt:AcctSvcrRef>HZB-0601-0008</camt:AcctSvcrRef>
  <camt:BkTxCd><camt:Domn><camt:Cd>PMNT</camt:Cd><camt:Fmly><camt:Cd>CNTR</camt:Cd><camt:SubFmlyCd>CWDL</camt:SubFmlyCd></camt:Fmly></camt:Domn></camt:BkTxCd>
  <camt:AddtlNtryInf>大额取现预约</camt:AddtlNtryInf>
</camt:Ntry>
</camt:Stmt>
</camt:BkToCstmrStmt>
</camt:Document>
`;

describe('camt.053 amounts and codes', () => {
  it('should convert decimal amounts to minor units exactly', () => {
    expect(decimalToMinor('42.50', 2)).toBe('4250');
    expect(decimalToMinor('0.01', 2)).toBe('1');
    expect(decimalToMinor('12.300', 2)).toBe('1230');
    expect(decimalToMinor('7', 0)).toBe('7');
    expect(decimalToMinor('1.234', 3)).toBe('1234');
    expect(decimalToMinor('.5', 2)).toBe('50');
    expect(decimalToMinor('90071992547409.91', 2)).toBe('9007199254740991');
    expect(decimalToMinor('12.345', 2)).toEqual({ error: 'entry_amount_decimals', decimals: 2 });
    expect(decimalToMinor('0.00', 2)).toEqual({ error: 'entry_amount_zero' });
    expect(decimalToMinor('-5', 2)).toEqual({ error: 'entry_amount_not_decimal' });
    expect(decimalToMinor('1e3', 2)).toEqual({ error: 'entry_amount_not_decimal' });
    expect(decimalToMinor('90071992547409.92', 2)).toEqual({ error: 'entry_amount_too_large' });
  });

  it('should agree with decimal arithmetic on any amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 53n - 1n }), fc.integer({ min: 0, max: 3 }), (minor, exponent) => {
        const digits = minor.toString().padStart(exponent + 1, '0');
        const text = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
        expect(decimalToMinor(text, exponent)).toBe(minor.toString());
      }),
    );
  });

  it('should map bank transaction codes to channels', () => {
    expect(domainChannel('PMNT', 'CCRD', 'POSD')).toBe('card');
    expect(domainChannel('PMNT', 'CCRD', 'CWDL')).toBe('atm');
    expect(domainChannel('PMNT', 'CNTR', 'CDPT')).toBe('counter');
    expect(domainChannel('PMNT', 'RDDT', 'ESDD')).toBe('direct_debit');
    expect(domainChannel('PMNT', 'ICDT', 'ESCT')).toBe('transfer');
    expect(domainChannel('ACMT', 'MDOP', 'FEES')).toBeNull();
    expect(proprietaryChannel('NTRF+166')).toBe('transfer');
    expect(proprietaryChannel('nddt')).toBe('direct_debit');
    expect(proprietaryChannel('constructor')).toBeNull();
  });
});

describe('the camt.053 reader', () => {
  it('should read a camt.053.001.02 statement entry by entry', () => {
    const out = read(V02);
    const entry = (n: number) => lineOf(V02, '<Ntry>', n);
    expect(txns(out)).toEqual([
      {
        txnId: '2025060100001',
        accountId: 'DE89370400440532013000',
        customerNumber: 'C0000042',
        bookedAt: '2025-06-01T00:00:00Z',
        atMs: Date.parse('2025-06-01T00:00:00Z'),
        amountMinor: 4250,
        currency: 'EUR',
        direction: 'debit',
        channel: 'card',
        counterpartyName: 'Café Zürich & Söhne <GmbH>',
        counterpartyAccount: '',
        mcc: '5812',
        description: 'Kartenzahlung 01.06. 12:31',
      },
      expect.objectContaining({
        txnId: '2025060100002',
        amountMinor: 310_000,
        direction: 'credit',
        channel: 'transfer',
        counterpartyName: 'Musterfirma AG',
        counterpartyAccount: 'DE02100100109307118603',
        mcc: '',
        description: 'Gehalt Juni 2025 Personalnummer 4711 Abrechnung folgt separat',
      }),
      expect.objectContaining({
        txnId: '2025060100003-A',
        amountMinor: 10_000,
        counterpartyName: 'Hausverwaltung Müller',
        counterpartyAccount: 'DE12500105170648489890',
        description: 'Miete Garage',
      }),
      expect.objectContaining({
        txnId: '2025060100003/2',
        amountMinor: 20_000,
        counterpartyName: 'Stadtwerke',
        counterpartyAccount: '4711-0815',
        description: 'SAMMLER 2 POSTEN',
      }),
      expect.objectContaining({
        txnId: '2025060100007',
        bookedAt: '2025-06-01T22:15:00Z',
        amountMinor: 20_000,
        channel: 'atm',
        description: 'GA 01.06 22:15 <Hauptbahnhof> & Co',
      }),
      expect.objectContaining({
        txnId: '8',
        channel: 'direct_debit',
        counterpartyName: 'Stadtwerke',
        description: 'Lastschrift Strom',
      }),
    ]);
    expect(out.filter((r) => r.ok).map((r) => r.ok && r.line)).toEqual([entry(0), entry(1), entry(2), entry(2), entry(6), entry(7)]);
    expect(errors(out)).toEqual([
      { line: entry(4), reason: 'Amt has more than 2 decimals (EUR)' },
      { line: entry(5), reason: 'no reference for the txn_id (AcctSvcrRef or NtryRef)' },
    ]);
  });

  it('should read a prefixed camt.053.001.08 statement the same way', () => {
    const out = read(V08);
    const entry = (n: number) => lineOf(V08, '<camt:Ntry>', n);
    const got = txns(out);
    expect(got.map((t) => [t.txnId, t.amountMinor, t.direction, t.channel, t.mcc, t.counterpartyName, t.description])).toEqual([
      ['HZB-0601-0001', 12_860, 'debit', 'card', '5411', '华润万家 "超市" 🛒', '超市购物'],
      ['HZB-0601-0002', 30_000_000, 'credit', 'transfer', '', '安康人寿保险股份有限公司', '重大疾病保险理赔款'],
      ['HZB-0601-0003', 200_000, 'debit', 'online', '', '李伟', '转账'],
      ['HZB-0601-0004-1', 100_000, 'debit', 'transfer', '', '西湖人民医院', '住院押金'],
      ['HZB-0601-0004-2', 50_000, 'debit', 'transfer', '8062', '西湖人民医院', '医疗费用'],
      ['HZB-0601-0008', 5_000_000, 'debit', 'counter', '', '', '大额取现预约'],
    ]);
    expect(got[0]).toMatchObject({ accountId: '621700000000421', customerNumber: 'G00000042', atMs: Date.parse('2025-06-01T02:31:05Z') });
    expect(got[1]).toMatchObject({ counterpartyAccount: '1100100012345678', atMs: Date.parse('2025-06-01T06:00:00.250Z') });
    expect(errors(out)).toEqual([
      { line: entry(5), reason: 'Amt must be more than zero (CNY)' },
      { line: entry(6), reason: 'Amt must be a positive decimal number (CNY)' },
    ]);
  });

  it('should read through the async generator in order', async () => {
    async function* source(): AsyncGenerator<Uint8Array> {
      const bytes = Buffer.from(V02);
      for (let i = 0; i < bytes.length; i += 100) yield bytes.subarray(i, i + 100);
    }
    const out: ParsedRow[] = [];
    for await (const r of parseTransactionsCamt053(source())) out.push(r);
    expect(out).toEqual(read(V02));
  });

  it('should make every entry of a statement without an owner id bad', () => {
    const doc = V08.replace(/<camt:Ownr>.*<\/camt:Ownr>/, '');
    const out = read(doc);
    expect(txns(out)).toEqual([]);
    expect(errors(out)).toHaveLength(7);
    expect(errors(out)[0]?.reason).toMatch(/no owner id/);
  });

  it('should take the first Othr/Id of the owner, organisation or private', () => {
    const doc = V08.replace(
      /<camt:Ownr>.*<\/camt:Ownr>/,
      '<camt:Ownr><camt:Id><camt:PrvtId><camt:DtAndPlcOfBirth><camt:BirthDt>1970-01-01</camt:BirthDt></camt:DtAndPlcOfBirth><camt:Othr><camt:Id> P-7 </camt:Id></camt:Othr><camt:Othr><camt:Id>P-8</camt:Id></camt:Othr></camt:PrvtId></camt:Id></camt:Ownr>',
    );
    expect(new Set(txns(read(doc)).map((t) => t.customerNumber))).toEqual(new Set(['P-7']));
  });

  it('should report malformed XML once, at its line, after the entries before it', () => {
    const cut = V02.indexOf('<NtryRef>3</NtryRef>');
    const doc = `${V02.slice(0, cut)}<NtryRef>3</Ntry>${V02.slice(cut)}`;
    const out = read(doc);
    expect(txns(out).map((t) => t.txnId)).toEqual(['2025060100001', '2025060100002']);
    expect(errors(out)).toEqual([{ line: lineOf(doc, '<NtryRef>3</Ntry>'), reason: expect.stringMatching(/^malformed XML: /) }]);
  });

  it('should read CRLF line ends like LF and never expand DTD entities', () => {
    expect(read(V02.replace(/\n/g, '\r\n'))).toEqual(read(V02));
    const bomb = V02.replace('<Document', '<!DOCTYPE Document [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<Document').replace(
      'Musterfirma AG',
      '&b;',
    );
    const out = read(bomb);
    expect(txns(out).map((t) => t.txnId)).toEqual(['2025060100001']);
    expect(errors(out)).toEqual([{ line: lineOf(bomb, '&b;'), reason: 'malformed XML: undefined entity.' }]);
  });

  it('should report a booked entry without a status or a booking date, and take a date as midnight UTC', () => {
    const doc = V02.replace('<Sts>BOOK</Sts>', '').replace(/(<NtryRef>2<\/NtryRef>[\s\S]*?)<BookgDt><Dt>2025-06-01<\/Dt><\/BookgDt>/, '$1');
    const out = read(doc);
    expect(errors(out).slice(0, 2)).toEqual([
      { line: lineOf(doc, '<Ntry>', 0), reason: 'the entry has no status (Sts)' },
      { line: lineOf(doc, '<Ntry>', 1), reason: 'the entry has no booking date (BookgDt/DtTm or BookgDt/Dt)' },
    ]);
    expect(txns(out)[0]).toMatchObject({ txnId: '2025060100003-A', bookedAt: '2025-06-01T00:00:00Z' });
  });

  it('should report a truncated document and one that is no statement', () => {
    const truncated = read(V02.slice(0, V02.indexOf('<NtryRef>4')));
    expect(txns(truncated)).toHaveLength(4);
    expect(errors(truncated)).toHaveLength(1);
    expect(errors(read('<Document><BkToCstmrNtfctn/></Document>'))).toEqual([
      { line: 1, reason: 'not a camt.053 statement: no BkToCstmrStmt element' },
    ]);
    expect(errors(read(''))).toEqual([{ line: 1, reason: expect.stringMatching(/^malformed XML/) }]);
  });

  it('should refuse bytes that are not UTF-8 and other declared encodings', () => {
    const bytes = Buffer.from(V02);
    const at = bytes.indexOf('Erika');
    bytes[at] = 0xff;
    expect(errors(read(bytes))).toEqual([{ line: lineOf(V02, 'Erika'), reason: 'not valid UTF-8' }]);
    const latin = V02.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    expect(errors(read(latin))).toEqual([{ line: 1, reason: 'only UTF-8 is read, the document declares ISO-8859-1' }]);
  });

  it('should make an entry with an over-long text bad and go on with the next', () => {
    const huge = 'x'.repeat(MAX_TEXT_CHARS + 10);
    for (const [text, reason] of [
      [`<Ustrd>${huge}</Ustrd>`, /a text in the entry is longer/],
      [`<Ustrd>${'a&amp;b'.repeat(MAX_TEXT_CHARS / 6)}</Ustrd>`, /a text in the entry is longer/],
      [`<Ustrd>${huge.slice(0, 700_000)}</Ustrd><Ustrd>${huge.slice(0, 700_000)}</Ustrd>`, /the entry is longer/],
      [`<Ustrd>${'<![CDATA[abc]]>'.repeat(100_000)}</Ustrd>`, /the entry is longer/],
    ] as const) {
      const doc = V02.replace('<Ustrd>Miete Garage</Ustrd>', text);
      for (const sizes of [[1 << 16], [7919], [1 << 22]]) {
        const out = read(doc, sizes);
        expect(txns(out).map((t) => t.txnId)).toEqual(['2025060100001', '2025060100002', '2025060100007', '8']);
        expect(errors(out)[0]).toEqual({ line: lineOf(doc, '<Ntry>', 2), reason: expect.stringMatching(reason) });
      }
    }
  });

  it('should skip an over-long pending entry without a report', () => {
    const doc = V02.replace('<Sts>PDNG</Sts>', `<Sts>PDNG</Sts><AddtlNtryInf>${'y'.repeat(MAX_TEXT_CHARS + 1)}</AddtlNtryInf>`);
    expect(errors(read(doc)).map((e) => e.line)).toEqual([lineOf(doc, '<Ntry>', 4), lineOf(doc, '<Ntry>', 5)]);
  });

  it('should stop at over-long markup and too deep nesting', () => {
    const comment = V02.replace('<Ntry>', `<!--${'-x'.repeat(MAX_TEXT_CHARS)}-->\n<Ntry>`);
    expect(errors(read(comment))).toEqual([{ line: lineOf(comment, '<Ntry>') - 1, reason: expect.stringMatching(/markup longer/) }]);
    const deep = `<Document><BkToCstmrStmt>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</BkToCstmrStmt></Document>`;
    expect(errors(read(deep))).toEqual([{ line: 1, reason: 'elements nested deeper than 64' }]);
  });

  it('should give the same results wherever the input is cut in two', () => {
    for (const text of [V02, V08]) {
      const doc = Buffer.from(text);
      const whole = JSON.stringify(read(doc));
      for (let cut = 1; cut < doc.length; cut++) {
        const out: ParsedRow[] = [];
        const reader = new Camt053TransactionReader(
          (txn, line) => out.push({ ok: true, line, txn }),
          (error) => out.push({ ok: false, error }),
        );
        reader.push(doc.subarray(0, cut));
        reader.push(doc.subarray(cut));
        reader.end();
        // Compared as JSON: thousands of deep comparisons would take far longer.
        if (JSON.stringify(out) !== whole) expect({ cut, out }).toEqual({ cut, out: JSON.parse(whole) });
      }
    }
  });

  it('should give the same results however the input is chunked', () => {
    const doc = Buffer.from(V08);
    const whole = read(doc);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 10 }), (sizes) => {
        expect(read(doc, sizes)).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('should give the same results for damaged documents however they are chunked', () => {
    const doc = Buffer.from(V02);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: doc.length }),
        fc.integer({ min: 0, max: 40 }),
        fc.uint8Array({ maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
        (at, drop, insert, sizes) => {
          const damaged = Buffer.concat([doc.subarray(0, at), insert, doc.subarray(at + drop)]);
          expect(read(damaged, sizes)).toEqual(read(damaged));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('should never throw on arbitrary bytes or text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc.string({ maxLength: 300 }).map((s) => Buffer.from(s)),
          fc
            .array(
              fc.constantFrom(
                '<Ntry>',
                '</Ntry>',
                '<Stmt>',
                '</Stmt>',
                '<BkToCstmrStmt>',
                '<Amt Ccy="EUR">',
                '1.00',
                '&amp;',
                '&#0;',
                ']]>',
                '<![CDATA[',
                '<?x',
                '<!--',
                '\r\n',
                'é',
              ),
              {
                maxLength: 60,
              },
            )
            .map((parts) => Buffer.from(parts.join(''))),
        ),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }),
        (bytes, sizes) => {
          for (const r of read(bytes, sizes)) if (!r.ok) expect(r.error.line).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('should read a large streamed statement without accumulating memory', () => {
    const entries = 50_000;
    const row: GenRow = {
      txnId: '',
      accountId: '621700000000421',
      customerNumber: 'G00000042',
      atMs: Date.parse('2025-06-01T02:00:00Z'),
      day: 0,
      amountMinor: 12_345,
      direction: 'debit',
      channel: 'card',
      counterpartyName: '华润万家超市 & 便利店',
      counterpartyAccount: '',
      mcc: '5411',
      description: '超市购物 '.repeat(20),
    };
    let rows = 0;
    let bad = 0;
    let maxHeap = 0;
    let bytes = 0;
    const reader = new Camt053TransactionReader(
      () => rows++,
      () => bad++,
    );
    const base = heapAfterGc();
    const feed = (text: string) => {
      const chunk = Buffer.from(text);
      bytes += chunk.length;
      reader.push(chunk);
    };
    feed(camt053Header('BIG', '2025-06-02T00:00:00Z'));
    feed(
      camt053StatementStart({
        statementId: 'S1',
        accountId: row.accountId,
        customerNumber: row.customerNumber,
        createdAt: '2025-06-02T00:00:00Z',
      }),
    );
    let batch = '';
    for (let k = 1; k <= entries; k++) {
      batch += camt053Entry({ ...row, txnId: `T${k}`, atMs: row.atMs + k * 1000 }, k);
      if (k % 200 === 0) {
        feed(batch);
        batch = '';
        if (k % 5000 === 0) maxHeap = Math.max(maxHeap, heapAfterGc() - base);
      }
    }
    feed(batch + camt053StatementEnd() + camt053Footer());
    reader.end();
    expect({ rows, bad }).toEqual({ rows: entries, bad: 0 });
    expect(bytes).toBeGreaterThan(40_000_000);
    // Holding the document, its rows or its entries would take tens of megabytes.
    expect(maxHeap).toBeLessThan(8_000_000);
  }, 120_000);
});

describe('the camt.053 writer', () => {
  const customers = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => generateCustomer({ accounts: 8, days: 120, seed: 7, plantedShare: 4 }, i).rows);

  async function csvTransactions(rows: GenRow[]): Promise<Transaction[]> {
    const header =
      'txn_id,account_id,customer_number,booked_at,amount_minor,currency,direction,channel,counterparty_name,counterparty_account,mcc,description\n';
    async function* source(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(header + rows.map(csvLine).join(''));
    }
    const out: Transaction[] = [];
    for await (const r of parseTransactionsCsv(source())) if (r.ok) out.push(r.txn);
    return out;
  }

  for (const version of ['02', '08'] as const)
    it(`should round-trip generated rows through camt.053.001.${version} to what the CSV reader gives`, async () => {
      const rows = customers.flat();
      expect(new Set(rows.map((r) => r.channel)).size).toBeGreaterThanOrEqual(5);
      const createdAt = '2025-07-01T00:00:00Z';
      const doc = `${camt053Header('GEN', createdAt, { version })}${customers.map((c) => camt053Statements(c, createdAt, { version })).join('')}${camt053Footer()}`;
      const out = read(doc, [4096]);
      expect(errors(out)).toEqual([]);
      const byId = (list: Transaction[]) => [...list].sort((a, b) => (a.txnId < b.txnId ? -1 : 1));
      expect(byId(txns(out))).toEqual(byId(await csvTransactions(rows)));
    });

  it('should split long descriptions into 140-character remittance lines that read back whole', () => {
    const row = customers[0]?.[0];
    if (!row) throw new Error('no generated row');
    const long = { ...row, description: `${'长'.repeat(150)}🛒${'x'.repeat(150)}` };
    const doc = camt053Document([long], '2025-07-01T00:00:00Z');
    expect(doc.match(/<Ustrd>/g)).toHaveLength(3);
    expect(txns(read(doc))[0]?.description).toBe(long.description);
  });
});
