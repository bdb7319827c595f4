// Builds an edXML message (QCVN 102:2016 element names, with the namespace prefix senders use) for tests.
export interface EdxmlSpec {
  from: string;
  to: string[];
  codeNumber: string;
  notation: string;
  date: string;
  attachments: Array<{ name: string; bytes: Uint8Array }>;
}

export function edxml(m: EdxmlSpec): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLHeader>
    <edXML:MessageHeader>
      <edXML:From><edXML:OrganId>${m.from}</edXML:OrganId><edXML:OrganName>Sở Tư pháp</edXML:OrganName></edXML:From>
      ${m.to.map((t) => `<edXML:To><edXML:OrganId>${t}</edXML:OrganId><edXML:OrganName>Nơi nhận</edXML:OrganName></edXML:To>`).join("\n      ")}
      <edXML:Code><edXML:CodeNumber>${m.codeNumber}</edXML:CodeNumber><edXML:CodeNotation>${m.notation}</edXML:CodeNotation></edXML:Code>
      <edXML:PromulgationInfo><edXML:Place>Tây Ninh</edXML:Place><edXML:PromulgationDate>${m.date}</edXML:PromulgationDate></edXML:PromulgationInfo>
      <edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
      <edXML:Subject>V/v triển khai chữ ký số &amp; văn bản điện tử</edXML:Subject>
      <edXML:SignerInfo><edXML:Competence>TM. UBND</edXML:Competence><edXML:FullName>Nguyễn Văn An</edXML:FullName></edXML:SignerInfo>
      <edXML:OtherInfo><edXML:Priority>1</edXML:Priority></edXML:OtherInfo>
    </edXML:MessageHeader>
    <edXML:TraceHeaderList><edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType></edXML:Bussiness></edXML:TraceHeaderList>
  </edXML:edXMLHeader>
  <edXML:edXMLBody>
    <edXML:AttachmentEncoded>
      ${m.attachments.map((a) => `<edXML:Attachment><edXML:ContentType>application/octet-stream</edXML:ContentType><edXML:Name>${a.name}</edXML:Name><edXML:Value>${Buffer.from(a.bytes).toString("base64").replace(/.{76}/g, "$&\n")}</edXML:Value></edXML:Attachment>`).join("\n      ")}
    </edXML:AttachmentEncoded>
  </edXML:edXMLBody>
</edXML:edXMLEnvelope>`;
}
