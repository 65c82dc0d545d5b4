import { Type } from 'typebox';
import { CERTIFICATE_SIGNATURE_FORMAT } from './certificates.js';

const Signature = Type.String({
  minLength: 1,
  maxLength: 400,
  description: 'base64url Ed25519 signature of the UTF-8 bytes of the challenge nonce',
});
const ChallengeId = Type.String({ minLength: 1, maxLength: 64 });
const CardNo = Type.String({ pattern: '^[0-9]{12}$', description: 'NHI card number, 12 digits [ID 9]' });
const NationalId = Type.String({
  minLength: 10,
  maxLength: 10,
  description: 'national ID, or for a foreign resident the resident certificate (ARC/UI) number',
});
const Phone = Type.String({ pattern: '^09[0-9]{8}$', description: 'Taiwan mobile number, 09xxxxxxxx' });
const PublicKeyPem = Type.String({
  minLength: 1,
  maxLength: 4000,
  description: "the device's Ed25519 public key, SPKI PEM",
});
const NewPassword = Type.String({ minLength: 6, maxLength: 128 });

export const PersonView = Type.Object({ name: Type.String(), nationalIdMasked: Type.String() });

export const ChallengeView = Type.Object({
  challengeId: Type.String(),
  nonce: Type.String(),
  expiresAt: Type.String({ description: 'at most 5 minutes after issue; single use' }),
});

export const CardRegisterBody = Type.Object({
  cardNo: CardNo,
  challengeId: ChallengeId,
  signature: Signature,
  password: NewPassword,
});
export const CardRegisteredView = Type.Object({ cardNo: Type.String(), registeredAt: Type.String() });

export const CardLoginBody = Type.Object({
  cardNo: CardNo,
  challengeId: ChallengeId,
  signature: Signature,
  password: Type.String({ minLength: 1, maxLength: 128 }),
});
export const LoginView = Type.Object({ token: Type.String(), person: PersonView });

export const CertificateLoginBody = Type.Object({
  certificatePem: Type.String({ minLength: 1, maxLength: 10_000 }),
  challengeId: ChallengeId,
  signature: Type.String({ minLength: 1, maxLength: 400, description: CERTIFICATE_SIGNATURE_FORMAT }),
  nationalId: NationalId,
});

export const PhoneAuthBody = Type.Object({
  phone: Phone,
  nationalId: NationalId,
  cardLast4: Type.String({ pattern: '^[0-9]{4}$', description: 'last 4 digits of the NHI card number' }),
  password: NewPassword,
  devicePublicKeyPem: PublicKeyPem,
});
export const BoundDeviceView = Type.Object({ deviceId: Type.Integer(), token: Type.String() });

export const DeviceCodeView = Type.Object({
  code: Type.String({ description: '8 digits' }),
  qrSvg: Type.String({ description: 'the code as a QR code, SVG' }),
  expiresAt: Type.String({ description: 'at most 10 minutes after issue; single use' }),
});

export const BindDeviceBody = Type.Object({
  code: Type.String({ pattern: '^[0-9]{8}$' }),
  devicePublicKeyPem: PublicKeyPem,
});

export const DeviceLoginBody = Type.Object({
  deviceId: Type.Integer({ minimum: 1 }),
  challengeId: ChallengeId,
  signature: Signature,
});
export const DeviceLoginView = Type.Object({
  token: Type.String(),
  channel: Type.String(),
  person: PersonView,
});

export const CounterRegistrationBody = Type.Object({
  nationalId: NationalId,
  documents: Type.Object({
    nhiCardNo: CardNo,
    idCardNumber: Type.Optional(Type.String({ minLength: 10, maxLength: 10, description: 'nationals' })),
    arcNumber: Type.Optional(Type.String({ minLength: 10, maxLength: 10, description: 'foreign residents' })),
    householdRegister: Type.Optional(Type.Boolean({ description: 'household register shown (nationals)' })),
  }),
  phone: Type.Optional(Phone),
  devicePublicKeyPem: PublicKeyPem,
  password: Type.Optional(NewPassword),
});
export const CounterRegistrationView = Type.Object({ deviceId: Type.Integer(), person: PersonView });

export const SessionView = Type.Object({
  channel: Type.String(),
  deviceId: Type.Union([Type.Integer(), Type.Null()]),
  person: PersonView,
});
