// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// A minimal fixed-supply token: enough to see a deploy, a state-changing call, its event and a
/// failing `require` come back through the localnet's JSON-RPC endpoint.
contract Token {
    string public constant name = "Example";
    uint256 public immutable totalSupply;
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(uint256 supply) {
        totalSupply = supply;
        balanceOf[msg.sender] = supply;
        emit Transfer(address(0), msg.sender, supply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        require(balanceOf[msg.sender] >= value, "Token: balance too low");
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }
}
