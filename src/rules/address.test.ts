import { describe, expect, it } from 'vitest';
import { cityAndDistrict } from './address.js';

describe('city and district of an address', () => {
  it.each([
    ['臺北市大安區信義路四段1號', '臺北市', '大安區'],
    ['台北市中正區忠孝西路一段49號', '臺北市', '中正區'],
    ['高雄市前鎮區中華五路789號', '高雄市', '前鎮區'],
    ['桃園市平鎮區環南路100號', '桃園市', '平鎮區'],
    ['嘉義市東區民族路1號', '嘉義市', '東區'],
    ['新竹縣竹北市光明六路10號', '新竹縣', '竹北市'],
    ['屏東縣潮州鎮中山路1號', '屏東縣', '潮州鎮'],
    ['南投縣鹿谷鄉中正路1號', '南投縣', '鹿谷鄉'],
  ])('%s → %s %s', (address, city, district) => {
    expect(cityAndDistrict(address)).toEqual({ city, district });
  });

  it('gives nothing for an address it cannot read', () => {
    expect(cityAndDistrict('somewhere')).toEqual({ city: null, district: null });
  });
});
